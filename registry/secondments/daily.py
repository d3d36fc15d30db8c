"""The secondments' daily task: temporary bodies past `ends_on` end, with their secondments; consented
secondments past `end_on` end. One small transaction per body or secondment, each re-checking its state."""

from sqlmodel import Session, col, select

from registry.choices import SecondmentState
from registry.lifecycle.tasks import Changes, DailyTask, TaskContext, one_by_one
from registry.secondments.models import Secondment, TemporaryBody

UNDER_WAY = (SecondmentState.REQUESTED, SecondmentState.APPROVED)


def end_secondments(ctx: TaskContext) -> Changes:
    """End what has run its course by `ctx.today` (a second run the same day finds nothing to do)."""
    with ctx.db.read() as session:
        body_ids = list(session.exec(select(TemporaryBody.id).where(
            col(TemporaryBody.ended_on).is_(None), TemporaryBody.ends_on < ctx.today).order_by(col(TemporaryBody.id))))
        secondment_ids = list(session.exec(select(Secondment.id).where(
            Secondment.state == SecondmentState.APPROVED, Secondment.end_on < ctx.today).order_by(col(Secondment.id))))
    ended_by_body = [0]

    def end_body(session: Session, body_id: int) -> bool:
        body = session.get(TemporaryBody, body_id)
        if body is None or body.ended_on is not None:
            return False
        body.ended_on = ctx.today
        session.add(body)
        for s in session.exec(select(Secondment).where(Secondment.host_body_id == body_id,
                                                       col(Secondment.state).in_(UNDER_WAY))):
            s.state, s.ended_on, s.row_version = SecondmentState.ENDED, min(body.ends_on, s.end_on), s.row_version + 1
            session.add(s)
            ended_by_body[0] += 1
        return True

    def end_one(session: Session, secondment_id: int) -> bool:
        s = session.get(Secondment, secondment_id)
        if s is None or s.state != SecondmentState.APPROVED or s.end_on >= ctx.today:
            return False
        s.state, s.ended_on, s.row_version = SecondmentState.ENDED, s.end_on, s.row_version + 1
        session.add(s)
        return True

    bodies = one_by_one(ctx, body_ids, end_body)
    secondments = one_by_one(ctx, secondment_ids, end_one)
    return {"temporary_bodies_ended": bodies, "secondments_ended": secondments + ended_by_body[0]}


DAILY_TASKS = [DailyTask("secondments", order=200, run=end_secondments)]
