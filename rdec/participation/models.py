"""公民參與治理平台 (seed action plan 10-1-1): 提點子 proposals with 附議, 眾開講 consultations with a
response report, and Pol.is-style conversations (opinion groups).

The rules a proposal is judged by (檢核 days, 附議 period and threshold, response deadline) are dated,
cited rule versions: Taichung's own figures were not retrieved (research §4.2), so the shipped
version carries join.gov.tw's figures, its source, and `confirmed = False` until the RDEC checks it.
See docs/participation.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rdec.core.models import Agency
from rdec.core.rules import DatedRuleSet


class HidingGround(models.TextChoices):
    """The grounds for hiding a proposal, a comment or a statement (臺中市政府公共政策網路參與平臺作業規範;
    Kaohsiung's 要點 lists the same), plus "not city business" (the 作業規範's scope)."""

    THREAT = "threat", _("Threats or incitement to violence")
    OBSCENITY = "obscenity", _("Obscene content")
    DEFAMATION = "defamation", _("Defamation or personal attacks")
    INFRINGEMENT = "infringement", _("Infringes others' rights (privacy, copyright)")
    DISCRIMINATION = "discrimination", _("Discrimination")
    COURT = "court", _("A case pending in court")
    UNCLEAR = "unclear", _("Unclear, or a purely personal claim")
    ADVERTISING = "advertising", _("Advertising")
    NOT_CITY = "not_city", _("Not city-government business")


# --- dated rules ----------------------------------------------------------------------------------


class ProposalRule(DatedRuleSet):
    """提點子: how long the 管理小組 has to check a proposal, how long 附議 stays open and how many
    supports make it 成案, and how long the responsible agency has to answer. A proposal keeps the
    version in force on the day it was submitted."""

    check_working_days = models.PositiveSmallIntegerField(_("working days to check a proposal"), default=5)
    endorse_days = models.PositiveSmallIntegerField(_("days open for support"), default=60)
    threshold = models.PositiveIntegerField(_("supports needed"), default=5000)
    response_months = models.PositiveSmallIntegerField(
        _("months for the agency's response after establishment"), default=2
    )
    burst_window_minutes = models.PositiveSmallIntegerField(
        _("minutes of a burst window (supports from one network)"), default=10
    )
    burst_same_network = models.PositiveSmallIntegerField(
        _("supports from one network within the window before review"), default=20
    )
    new_account_minutes = models.PositiveSmallIntegerField(
        _("an account younger than this many minutes is reviewed"), default=30
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("proposal rule")
        verbose_name_plural = _("proposal rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.threshold} / {self.endorse_days}"


class ConsultationRule(DatedRuleSet):
    """眾開講: the least number of days a consultation stays open and the working days the agency has
    after it closes to publish its response report (not retrieved for Taichung: a default)."""

    min_open_days = models.PositiveSmallIntegerField(_("least days open for comments"), default=14)
    report_working_days = models.PositiveSmallIntegerField(
        _("working days after closing to publish the response report"), default=30
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("consultation rule")
        verbose_name_plural = _("consultation rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.min_open_days} / {self.report_working_days}"


# --- 提點子 -----------------------------------------------------------------------------------------


class ProposalNumber(models.Model):
    """The last proposal number of a ROC year (numbers read 115-0001)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Proposal(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        REJECTED = "rejected", _("Not accepted")
        ENDORSING = "endorsing", _("Open for support")
        ESTABLISHED = "established", _("Established")
        NOT_ESTABLISHED = "not_established", _("Not established")
        RESPONDED = "responded", _("Responded")

    number = models.CharField(_("proposal number"), max_length=20, unique=True)
    title = models.CharField(_("subject"), max_length=120)
    content = models.TextField(_("content or suggestion"))
    benefits = models.TextField(_("benefits and impact"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    display_name = models.CharField(_("name shown"), max_length=40)
    suggested_agencies = models.ManyToManyField(
        Agency, verbose_name=_("suggested agencies"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKING)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    check_due = models.DateField(_("check due"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_ground = models.CharField(
        _("ground for not accepting"), max_length=20, choices=HidingGround.choices, blank=True
    )
    rejection_reason = models.TextField(_("reason given to the proposer"), blank=True)
    threshold = models.PositiveIntegerField(_("supports needed"))
    endorse_from = models.DateField(_("open for support from"), null=True, blank=True)
    endorse_until = models.DateField(_("open for support until"), null=True, blank=True)
    endorsement_count = models.PositiveIntegerField(_("supports"), default=0)
    established_at = models.DateTimeField(_("established at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("support closed at"), null=True, blank=True)
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_proposals",
    )
    co_agencies = models.ManyToManyField(
        Agency, verbose_name=_("co-responsible agencies"), blank=True, related_name="co_proposals"
    )
    response_due = models.DateField(_("response due"), null=True, blank=True)
    tracked_item_id = models.PositiveBigIntegerField(_("tracked item"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    response_summary = models.TextField(_("response summary"), blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "endorse_until"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status not in (self.Status.CHECKING, self.Status.REJECTED)


def _proposal_upload(instance, filename: str) -> str:
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"participation/proposals/{uuid.uuid4().hex}.{suffix}"


class ProposalAttachment(models.Model):
    """佐證資料."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_proposal_upload, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")

    def __str__(self) -> str:
        return self.name


class Endorsement(models.Model):
    """附議: one per citizen account per proposal (a database constraint), never withdrawn. A support
    from a burst on one network, or from an account made minutes before, is counted and flagged for
    the RDEC's review; the page says how many are under review."""

    class Review(models.TextChoices):
        NONE = "", _("Not flagged")
        PENDING = "pending", _("Under review")
        KEPT = "kept", _("Reviewed and kept")
        VOIDED = "voided", _("Reviewed and voided")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="endorsements")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements"
    )
    created_at = models.DateTimeField(default=timezone.now)
    network = models.CharField(
        max_length=64, blank=True, help_text="keyed hash of the /24 (IPv4) or /48 network"
    )
    review = models.CharField(max_length=10, choices=Review.choices, blank=True, default=Review.NONE)
    flag_reason = models.CharField(max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "citizen"], name="participation_one_support_per_citizen"
            )
        ]
        indexes = [models.Index(fields=["proposal", "network", "created_at"])]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.citizen_id}"


class ProposalEvent(models.Model):
    """The proposal's public timeline (submitted, checked, open for support, established, assigned,
    meeting, extension, responded…); `public = False` for the RDEC's own notes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind}"


class ProposalMeeting(models.Model):
    """A meeting of the responsible agency with the proposer (recorded)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    record = models.TextField(_("record"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.held_on}"


class ProposalExtension(models.Model):
    """展期 of the response deadline, announced publicly."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="extensions")
    previous_due = models.DateField()
    new_due = models.DateField(_("new response due date"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    announced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.new_due}"


class ResponsePoint(models.Model):
    """One point of the agency's point-by-point response."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="response_points")
    order = models.PositiveSmallIntegerField(default=0)
    point = models.TextField(_("point raised"))
    response = models.TextField(_("response"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.point[:40]


class Follow(models.Model):
    """A citizen following a proposal or a consultation (notified at each step)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_follows"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    consultation = models.ForeignKey(
        "Consultation", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "proposal"],
                condition=Q(proposal__isnull=False),
                name="participation_follow_proposal",
            ),
            models.UniqueConstraint(
                fields=["user", "consultation"],
                condition=Q(consultation__isnull=False),
                name="participation_follow_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id or self.consultation_id}"


# --- 眾開講 -----------------------------------------------------------------------------------------


class Consultation(models.Model):
    class Stage(models.TextChoices):
        BEFORE = "before", _("Before the policy is formed")
        DURING = "during", _("While the policy is being formed")
        AFTER = "after", _("After the policy is formed")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for comments")
        CLOSED = "closed", _("Closed, response being prepared")
        REPORTED = "reported", _("Response report published")

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=160)
    background = models.TextField(_("background"))
    questions = models.TextField(_("questions asked"), help_text=_("One question per line."))
    stage = models.CharField(_("policy stage"), max_length=10, choices=Stage.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="consultations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    report_due = models.DateField(_("response report due"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # the response report
    report_summary = models.TextField(_("summary of the response"), blank=True)
    policy_changes = models.TextField(_("what changed in the policy"), blank=True)
    report_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)
    report_pdf = models.FileField(upload_to="participation/reports/", blank=True)
    report_odt = models.FileField(upload_to="participation/reports/", blank=True)
    topic_source = models.CharField(
        _("where the topic came from"),
        max_length=200,
        blank=True,
        help_text=_("e.g. a rising word or a hotspot"),
    )
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ConsultationDocument(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="participation/documents/", max_length=200, blank=True)
    url = models.URLField(_("address"), blank=True)

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField(_("name shown"), max_length=40)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    question = models.PositiveSmallIntegerField(_("question number"), null=True, blank=True)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class ResponseTheme(models.Model):
    """A theme of the response report: comments grouped, each theme 採納 / 部分採納 / 不採納 with reason."""

    class Decision(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("theme"), max_length=160)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    comments = models.ManyToManyField(Comment, blank=True, related_name="themes")

    class Meta:
        verbose_name = _("response theme")
        verbose_name_plural = _("response themes")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class ModerationEntry(models.Model):
    """The public moderation log: what was hidden (a comment, a statement, a proposal), by which
    published rule, when. The hidden text itself is not shown again."""

    class Target(models.TextChoices):
        COMMENT = "comment", _("Comment")
        STATEMENT = "statement", _("Statement")
        PROPOSAL = "proposal", _("Proposal")

    target = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_log"
    )
    conversation = models.ForeignKey(
        "Conversation", null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_log"
    )
    ground = models.CharField(_("rule"), max_length=20, choices=HidingGround.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_target_display()} #{self.target_id}：{self.get_ground_display()}"


# --- conversations (Pol.is method) -------------------------------------------------------------------


class Conversation(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    open = models.BooleanField(_("open for votes"), default=True)
    imported_from = models.CharField(_("imported from"), max_length=200, blank=True)
    attribution = models.TextField(_("attribution"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # the latest computation (participants' points, groups, representative and consensus statements)
    result = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    votes_at_compute = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "external_id"], name="participation_participant_ext"
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="participation_participant_user",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id


class Statement(models.Model):
    class Moderation(models.IntegerChoices):
        HIDDEN = -1, _("Hidden")
        UNMODERATED = 0, _("Not yet moderated")
        ACCEPTED = 1, _("Accepted")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    external_id = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(_("statement"))
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated = models.SmallIntegerField(choices=Moderation.choices, default=Moderation.UNMODERATED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=Q(external_id__isnull=False),
                name="participation_statement_ext",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Vote(models.Model):
    AGREE, PASS, DISAGREE = 1, 0, -1

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=[(1, _("Agree")), (0, _("Pass")), (-1, _("Disagree"))])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="participation_one_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.statement_id}: {self.value}"


# --- notices (LINE official account, e-mail) ---------------------------------------------------------


class Notice(models.Model):
    """What was sent (or, with the recording sender, would have been sent) to whom, for a proposal or
    a consultation: e-mail, SMS or a LINE push/multicast message. Recipients are users, never raw
    addresses on public pages."""

    channel = models.CharField(max_length=10)  # email | sms | line
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.subject}"
