"""打造透明臺中 (seed 七): the proactive-disclosure register (政府資訊公開法 Art. 7), every outward
contract with its full text (Art. 7 para 1 item 8; 採購法施行細則 §84 for award notices), and the MOU
register (合作備忘錄專區).

- A redaction is recorded per passage with its Art. 18 item and reason (Art. 18 para 2: publish the
  rest); the public copy of a document is a new PDF from which the withheld text is gone.
- A hidden amount is empty (None), never 0.
- The deadlines (§84's 30 days, the MOU publication days) are dated, cited rule versions; the
  city's 合作備忘錄公開實施要點 was not found, so the MOU figure is a default marked unconfirmed.

See docs/transparency.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rdec.core.models import Agency
from rdec.core.rules import DatedRuleSet
from rdec.core.textsearch import pairs_text

tax_id_validator = RegexValidator(r"^\d{8}$", _("A business ID number (統一編號) has 8 digits."))


class Art7Category(models.IntegerChoices):
    """政府資訊公開法 Art. 7 para 1: what must be disclosed proactively."""

    LAWS = 1, _("Treaties, foreign-relations documents, laws, orders and local regulations")
    INTERPRETATIONS = 2, _("Interpretive rules and discretionary standards")
    ORGANISATION = 3, _("Organisation, functions, address, telephone, fax, website and e-mail")
    GUIDANCE = 4, _("Documents of administrative guidance")
    PLANS = 5, _("Administrative plans, statistics and research reports")
    BUDGETS = 6, _("Budgets and final accounts")
    PETITIONS = 7, _("Results of petitions and decisions on administrative appeals")
    CONTRACTS = 8, _("Written public-works and procurement contracts")
    SUBSIDIES = 9, _("Subsidies paid or received")
    MINUTES = 10, _("Minutes of collegial bodies")


class Art8Method(models.TextChoices):
    """政府資訊公開法 Art. 8: the ways of proactive disclosure (category 1 needs the gazette)."""

    GAZETTE = "gazette", _("Government gazette or other publication")
    ONLINE = "online", _("Online (website, online query)")
    READING = "reading", _("Public reading, copying or recording on site")
    PRESS = "press", _("Press conference or briefing")
    OTHER = "other", _("Other")


class Art18Item(models.IntegerChoices):
    """政府資訊公開法 Art. 18 para 1: the grounds for withholding (a passage, never more than needed)."""

    SECRET = 1, _("1. State secrets or secrets under other laws")
    INVESTIGATION = 2, _("2. Would hinder investigation or endanger life or property")
    DRAFT = 3, _("3. Internal drafts before a decision")
    SUPERVISION = 4, _("4. Supervision, inspection or enforcement material")
    EXAMINATION = 5, _("5. Examination or assessment material")
    PRIVACY = 6, _("6. Personal privacy, professional secrets or copyright of unpublished works")
    TRADE_SECRET = 7, _("7. Trade secrets or business information")
    CULTURAL = 8, _("8. Cultural heritage (location of protected sites and the like)")
    PUBLIC_ENTERPRISE = 9, _("9. Business information of public enterprises")


class Restriction(models.TextChoices):
    NONE = "none", _("Published in full")
    PARTIAL = "partial", _("Published with passages withheld")
    WITHHELD = "withheld", _("Withheld")


class TransparencyRule(DatedRuleSet):
    """The registers' deadlines. §84 of the procurement act's enforcement rules: award results within
    30 days of the award (the award day not counted, 行政程序法 §48); the MOU publication deadline
    after signing is the city's own (its 要點 was not found: a default, unconfirmed)."""

    award_publication_days = models.PositiveSmallIntegerField(
        _("days to publish an award after the award date"), default=30
    )
    roll_forward_holidays = models.BooleanField(
        _("a deadline on a day off moves to the next working day"),
        default=True,
        help_text=_("行政程序法 §48 para 4."),
    )
    mou_publication_days = models.PositiveSmallIntegerField(
        _("days to publish an MOU after signing"), default=30
    )
    mou_expiry_reminder_days = models.PositiveSmallIntegerField(
        _("days before an MOU's end to remind its agency"), default=60
    )
    disclosure_update_months = models.PositiveSmallIntegerField(
        _("months after which a disclosure item not updated is flagged"), default=12
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("transparency rule")
        verbose_name_plural = _("transparency rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.award_publication_days} / {self.mou_publication_days}"


class SearchPairs(models.Model):
    """`search_pairs`, the character pairs of `search_text` (rdec.core.textsearch.pairs_text) that the
    PostgreSQL index `search_vector` covers (migration 0003), kept in step on every save(); a save
    with `update_fields` naming one of PAIRS_FROM writes `search_pairs` too. QuerySet.update() and
    bulk_create() bypass save(): set `search_pairs` yourself there."""

    PAIRS_FROM: tuple[str, ...] = ("search_text",)

    search_pairs = models.TextField(editable=False, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_pairs = pairs_text(*(getattr(self, f) for f in self.PAIRS_FROM))
        fields = kwargs.get("update_fields")
        if fields is not None and "search_pairs" not in fields and set(fields) & set(self.PAIRS_FROM):
            kwargs["update_fields"] = [*fields, "search_pairs"]
        super().save(*args, **kwargs)


# --- 政府資訊公開專區 (Art. 7) ---------------------------------------------------------------------------


class DisclosureItem(SearchPairs):
    """One item an agency discloses proactively, under its Art. 7 category, by the Art. 8 methods."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    category = models.PositiveSmallIntegerField(_("Art. 7 category"), choices=Art7Category.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    methods = models.JSONField(_("methods of disclosure"), default=list)  # Art8Method values
    url = models.URLField(_("address"), max_length=500, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=100, blank=True)
    update_months = models.PositiveSmallIntegerField(
        _("update cycle (months)"), null=True, blank=True, help_text=_("Empty: the rule's default.")
    )
    published_on = models.DateField(_("published on"))
    updated_on = models.DateField(_("last updated on"))
    restriction = models.CharField(
        _("restriction"), max_length=10, choices=Restriction.choices, default=Restriction.NONE
    )
    restriction_item = models.PositiveSmallIntegerField(
        _("Art. 18 item"), choices=Art18Item.choices, null=True, blank=True
    )
    restriction_reason = models.TextField(_("reason for the restriction"), blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["category", "-updated_on", "id"]
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        indexes = [models.Index(fields=["agency", "category"])]

    def __str__(self) -> str:
        return self.title


# --- 契約公開 ------------------------------------------------------------------------------------------------


class Contract(SearchPairs):
    """One outward contract of an agency (procurement and other), aligned with the PCC award notice
    and OCDS 1.1 (one `ocid` per contracting process, stable across re-imports)."""

    PAIRS_FROM = ("title", "search_text")  # public search matches the title too

    class Kind(models.TextChoices):
        PROCUREMENT = "procurement", _("Procurement")
        LEASE = "lease", _("Lease")
        BOT = "bot", _("BOT / OT (private participation)")
        SUBSIDY = "subsidy", _("Subsidy with clauses")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Public copy awaiting approval")
        PUBLISHED = "published", _("Published")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    ocid = models.CharField(_("OCDS id"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PROCUREMENT)
    procurement_method = models.CharField(_("procurement method"), max_length=100, blank=True)
    award_method = models.CharField(_("award method"), max_length=100, blank=True)
    pcc_unit_id = models.CharField(_("PCC agency code"), max_length=40, blank=True)
    pcc_case_number = models.CharField(_("PCC case number"), max_length=100, blank=True, db_index=True)
    tender = models.ForeignKey(
        "tenders.Tender",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tender"),
    )
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True)
    supplier_tax_id = models.CharField(
        _("supplier's business ID number"), max_length=8, blank=True, validators=[tax_id_validator]
    )
    supplier_is_person = models.BooleanField(
        _("the supplier is a natural person"),
        default=False,
        help_text=_("A natural person's name is masked on public pages (Art. 18 item 6)."),
    )
    number_of_tenderers = models.PositiveSmallIntegerField(_("number of tenderers"), null=True, blank=True)
    # a hidden amount is empty, never 0
    budget_amount = models.DecimalField(_("budget"), max_digits=16, decimal_places=0, null=True, blank=True)
    award_amount = models.DecimalField(
        _("award amount"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    award_date = models.DateField(_("award date"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    publication_due = models.DateField(_("publication due"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)  # title, supplier, the public texts
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_on", "-award_date", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            models.Index(fields=["status", "publication_due"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class ContractAmendment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    amended_on = models.DateField(_("amended on"))
    description = models.TextField(_("what changed"))
    award_amount = models.DecimalField(
        _("amount after the amendment"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["amended_on", "id"]
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")

    def __str__(self) -> str:
        return f"{self.contract_id} {self.amended_on}"


class AwardNotice(models.Model):
    """A PCC award notice (決標公告) as imported: its fields as given and what was read from them. The same
    notice imported again is recognised by its digest (no duplicate release); a changed notice of the
    same case is an OCDS `awardUpdate`."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="award_notices")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the notice's canonical JSON
    fields = models.JSONField()  # the notice's PCC keys and values as imported
    tag = models.CharField(max_length=20)  # award | awardUpdate
    release_id = models.CharField(max_length=160, unique=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["imported_at", "id"]
        verbose_name = _("award notice")
        verbose_name_plural = _("award notices")

    def __str__(self) -> str:
        return self.release_id


def _contract_original(instance, filename: str) -> str:
    return f"transparency/contracts/{instance.contract_id}/original/{filename}"


def _contract_public(instance, filename: str) -> str:
    return f"transparency/contracts/{instance.contract_id}/public/{filename}"


class ContractDocument(models.Model):
    """The full text of a contract (and its annexes): the original, served only to its agency and the
    RDEC, and the public copy — a new PDF without the withheld passages — once the agency approved it."""

    class Kind(models.TextChoices):
        SIGNED = "contractSigned", _("Signed contract")
        ANNEX = "contractAnnexe", _("Annex")
        SUMMARY = "contractSummary", _("Summary")
        OTHER = "other", _("Other")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SIGNED)
    title = models.CharField(_("title"), max_length=200)
    original = models.FileField(_("original"), upload_to=_contract_original, max_length=300)
    public_copy = models.FileField(_("public copy"), upload_to=_contract_public, max_length=300, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    text = models.TextField(blank=True)  # extracted from the original (never public)
    public_text = models.TextField(blank=True)  # the public copy's text (what search matches)
    lacks_text = models.BooleanField(
        _("scanned without text"), default=False, help_text=_("No text could be extracted: a scan.")
    )
    # a whole annex withheld (Art. 18 para 2 allows it for the annex alone, never the whole contract)
    withheld = models.BooleanField(_("withheld in full"), default=False)
    withheld_item = models.PositiveSmallIntegerField(
        _("Art. 18 item"), choices=Art18Item.choices, null=True, blank=True
    )
    withheld_reason = models.TextField(_("reason"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("public copy approved at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "id"]
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")

    def __str__(self) -> str:
        return self.title

    @property
    def redacted(self) -> bool:
        return self.redactions.filter(accepted=True).exists()


class Redaction(models.Model):
    """One withheld passage of a document, with its Art. 18 item and reason. Proposed automatically
    for a natural person's ID number, phone, address or e-mail; accepted or dismissed by the agency."""

    document = models.ForeignKey(ContractDocument, on_delete=models.CASCADE, related_name="redactions")
    page = models.PositiveIntegerField(_("page"))  # 1-based
    text = models.CharField(_("withheld text"), max_length=500)
    item = models.PositiveSmallIntegerField(_("Art. 18 item"), choices=Art18Item.choices)
    reason = models.CharField(_("reason"), max_length=300)
    proposed = models.BooleanField(_("proposed automatically"), default=False)
    accepted = models.BooleanField(_("accepted"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "page", "id"]
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")

    def __str__(self) -> str:
        return f"{self.document_id} p.{self.page} Art. 18 ({self.item})"


# --- 合作備忘錄專區 -----------------------------------------------------------------------------------------


class Mou(SearchPairs):
    """A memorandum of understanding (or letter of intent, agreement, sister-city pact) of the city."""

    class DocType(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        LOI = "loi", _("Letter of intent")
        AGREEMENT = "agreement", _("Agreement")
        SISTER_CITY = "sister_city", _("Sister-city pact")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNDER_APPROVAL = "under_approval", _("Under approval")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")
        RENEWED = "renewed", _("Renewed")

    number = models.CharField(_("number"), max_length=30, unique=True)
    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices, default=DocType.MOU)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible agency")
    )
    co_agencies = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name=_("co-agencies"))
    signatories = models.TextField(_("signatories (offices)"), blank=True)
    cooperation_items = models.TextField(_("items of cooperation"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term to"), null=True, blank=True)
    auto_renew = models.BooleanField(_("renewed automatically"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    full_text = models.FileField(_("full text"), upload_to="transparency/mous/", max_length=300, blank=True)
    text = models.TextField(blank=True)  # extracted from the full text
    lacks_text = models.BooleanField(_("scanned without text"), default=False)
    publication_due = models.DateField(_("publication due"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)  # e.g. a programmes match
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("MOU")
        verbose_name_plural = _("MOUs")

    def __str__(self) -> str:
        return self.title


class MouParty(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Domestic government")
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University or school")
        NGO = "ngo", _("Non-profit organisation")
        FOREIGN_LOCAL = "foreign_local", _("Foreign local government")
        MAINLAND = "mainland", _("Mainland-area party")
        OTHER = "other", _("Other")

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.CharField(_("country or region"), max_length=100, blank=True)

    class Meta:
        ordering = ["mou", "id"]
        verbose_name = _("MOU party")
        verbose_name_plural = _("MOU parties")

    def __str__(self) -> str:
        return self.name


class MouApproval(models.Model):
    """An approval gate the law requires before signing: 陸委會 for a mainland-area party (兩岸條例
    §5-1), the central government for a foreign local government."""

    class Body(models.TextChoices):
        MAC = "mac", _("Mainland Affairs Council")
        MOI = "moi", _("Ministry of the Interior (with the Ministry of Foreign Affairs)")
        EY = "ey", _("Executive Yuan")
        COUNCIL = "council", _("City Council")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="approvals")
    body = models.CharField(_("approving body"), max_length=20, choices=Body.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reference = models.CharField(_("letter number"), max_length=100, blank=True)

    class Meta:
        ordering = ["mou", "id"]
        verbose_name = _("MOU approval")
        verbose_name_plural = _("MOU approvals")

    def __str__(self) -> str:
        return f"{self.get_body_display()}: {self.get_status_display()}"


class MouReport(models.Model):
    """The yearly performance note of an MOU (what was done, against what was promised)."""

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    results = models.TextField(_("results"))
    indicators = models.TextField(_("indicators and evidence"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["mou", "year"]
        verbose_name = _("MOU performance report")
        verbose_name_plural = _("MOU performance reports")
        constraints = [models.UniqueConstraint(fields=["mou", "year"], name="transparency_one_report_a_year")]

    def __str__(self) -> str:
        return f"{self.mou_id} {self.year}"
