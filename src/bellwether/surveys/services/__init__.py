"""Every change to surveys, one module per workflow; this package re-exports the public
actions so callers write ``services.launch_campaign(...)`` wherever it lives.

Each function is one action in one transaction, audited in it. Submissions of an
anonymous campaign are audited without any mention of the invitation or person.
"""

from __future__ import annotations

# The instrument specs services take (assessments builds its 360 instrument from them).
from bellwether.surveys.definitions import InstrumentSpec, QuestionSpec
from bellwether.surveys.services.campaigns import (
    SEGMENT_KEYS,
    close_campaign,
    launch_campaign,
    resolve_audience,
)
from bellwether.surveys.services.instruments import (
    SCALES,
    QuestionInput,
    clean_question,
    create_instrument,
    draft_of,
    install_ready_pulses,
    move_question,
    publish_draft,
    publish_instrument_version,
    published_version_of,
    remove_question,
    save_question,
    start_new_version,
    update_draft_introduction,
)
from bellwether.surveys.services.invitations import (
    Delivery,
    MessageBuilder,
    already_sent,
    deliver_batch,
    deliver_campaign_emails,
    deliver_invitation_email,
    deliver_pending,
    invitation_message,
    is_due,
    reissue_invitation,
    revoke_invitation,
    send_reminders,
)
from bellwether.surveys.services.links import (
    LINK_MESSAGES,
    LinkCheck,
    LinkState,
    check_link,
    invitation_link,
    invitation_token,
)
from bellwether.surveys.services.minimums import (
    update_confidentiality,
)
from bellwether.surveys.services.responding import (
    SignedInAsSomeoneElse,
    check_respondent,
    open_draft,
    question_rules,
    save_draft,
    seal_draft,
    segment_values,
    submit_response,
)
from bellwether.surveys.services.schedules import (
    create_schedule,
    period_of,
    run_schedules,
    set_schedule_active,
    update_schedule,
)

__all__ = [
    "LINK_MESSAGES",
    "SCALES",
    "SEGMENT_KEYS",
    "Delivery",
    "InstrumentSpec",
    "LinkCheck",
    "LinkState",
    "MessageBuilder",
    "QuestionInput",
    "QuestionSpec",
    "SignedInAsSomeoneElse",
    "already_sent",
    "check_link",
    "check_respondent",
    "clean_question",
    "close_campaign",
    "create_instrument",
    "create_schedule",
    "deliver_batch",
    "deliver_campaign_emails",
    "deliver_invitation_email",
    "deliver_pending",
    "draft_of",
    "install_ready_pulses",
    "invitation_link",
    "invitation_message",
    "invitation_token",
    "is_due",
    "launch_campaign",
    "move_question",
    "open_draft",
    "period_of",
    "publish_draft",
    "publish_instrument_version",
    "published_version_of",
    "question_rules",
    "reissue_invitation",
    "remove_question",
    "resolve_audience",
    "revoke_invitation",
    "run_schedules",
    "save_draft",
    "save_question",
    "seal_draft",
    "segment_values",
    "send_reminders",
    "set_schedule_active",
    "start_new_version",
    "submit_response",
    "update_confidentiality",
    "update_draft_introduction",
    "update_schedule",
]
