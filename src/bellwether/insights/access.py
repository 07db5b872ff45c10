"""Who may see the KPI dashboard and change its targets.

=================================  ================================================
rule                               who
=================================  ================================================
``insights.view_dashboard``        admins and executive sponsors: every KPI, its
                                   definition, trend and drill-down (identified
                                   rows for leader data; released aggregates only
                                   for anonymous pulse data)
``insights.edit_targets``          admins
=================================  ================================================
"""

from __future__ import annotations

from bellwether.accounts.access import roles
from bellwether.accounts.roles import Role
from bellwether.core.access import Rule

VIEW_DASHBOARD = Rule("insights.view_dashboard", roles(Role.ADMIN, Role.SPONSOR))
EDIT_TARGETS = Rule("insights.edit_targets", roles(Role.ADMIN))
