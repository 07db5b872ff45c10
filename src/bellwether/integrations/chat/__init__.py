"""Slack and Microsoft Teams: where each member's messages go, and their delivery."""
