"""SCIM 2.0 provisioning (RFC 7643/7644): an identity provider creates, updates and
deactivates the organisation's people and org units through ``/scim/v2/``."""
