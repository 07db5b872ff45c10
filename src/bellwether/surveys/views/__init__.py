"""Survey pages, one module per page group: ``respond`` (the personal link, no sign-in),
``campaigns`` (campaigns, invitations, confidentiality minimums), ``results`` (results
and their export) and ``instruments`` (the builder).

Thin views: parse, ask ``access``/``selectors``, call ``services``, render.

Member pages are ``@page(RULE, methods=[...])``: anonymous visitors sign in first, then a
GET on a POST-only page is 405 for every signed-in member before any rule is asked.
"""
