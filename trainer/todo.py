"""待办: what a station head, HR or an admin has to act on, each a count with its page.

Every count is scoped like the page it links to, so a head sees his station's only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from trainer.admin.service import uncertified_staff
from trainer.auth.access import Permission, can
from trainer.certificates import service as certificates
from trainer.evaluations import lifecycle, listing
from trainer.extensions import db
from trainer.models import Role, User


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    endpoint: str
    args: dict
    hint: str = ""


def todos(viewer: User, renewal_days: int) -> list[Todo]:
    """The viewer's to-do list, in the order a person would take them."""
    # Imported here: the station package's views import this module.
    from trainer.station import reviews

    items: list[Todo] = []
    if can(viewer, Permission.RESOLVE_APPEAL):
        items.append(Todo("申诉待处理", listing.count_with_status(viewer, lifecycle.APPEALED),
                          "evaluations.all_list", {"status": lifecycle.APPEALED},
                          "员工对考核结果提出申诉,由人力资源处理"))
    if can(viewer, Permission.REVIEW_EVALUATION):
        items.append(Todo("考核草稿待审核", listing.drafts_to_review(viewer),
                          "evaluations.all_list", {"status": lifecycle.DRAFT, "review": "1"},
                          "审核后发给员工确认" if viewer.role == Role.HEAD
                          else "站长本人的考核由人力资源审核"))
    if can(viewer, Permission.REVIEW_ATTEMPT):
        items.append(Todo("练习与考核待复核", len(reviews.queue(viewer)),
                          "station.review_queue", {}, "员工申请复核的作答"))
    if can(viewer, Permission.SEE_ALL_STATIONS) or can(viewer, Permission.REVIEW_ATTEMPT):
        items.append(Todo(f"证书 {renewal_days} 天内到期",
                          len(certificates.expiring(viewer, renewal_days)),
                          "certificates.renewals", {}, "及时复训换证"))
        count = db.session.scalar(select(func.count()).select_from(
            uncertified_staff(viewer).subquery())) or 0
        items.append(Todo("尚未取得上岗证的员工", count, "admin.staff_list",
                          {"uncertified": "1", "active": "1"}, "完成培训考核后由站长认证上岗"))
    return items
