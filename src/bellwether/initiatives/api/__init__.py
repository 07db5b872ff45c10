"""AI initiatives over the JSON API, one module per resource: the register and its
package (``register``), metrics and measurements (``metrics``), gates, stage and
alignment (``gates``), the registers of impacts, decision rights and adoption
(``registers``), organisation figures and capacity (``portfolio``) and the decision log
(``decisions``). Each endpoint parses, asks ``access``, then calls a service or selector.

Every module adds its operations to the one ``router`` the API hub mounts.
"""

from bellwether.initiatives.api import (  # noqa: F401  (registers the operations)
    decisions,
    gates,
    metrics,
    portfolio,
    register,
    registers,
)
from bellwether.initiatives.api.base import router

__all__ = ["router"]
