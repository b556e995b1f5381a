"""Database models, one module per aggregate. Importing this package registers every table."""

from trainer.models.audit import AuditLog
from trainer.models.people import POSTS, ROLES, Role, Station, User

__all__ = ["POSTS", "ROLES", "AuditLog", "Role", "Station", "User"]
