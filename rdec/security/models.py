"""資訊安全 (issue 21), item 2: the agencies' asset inventory named in CPE 2.3, the CVE records with
their configurations and CVSS, the CISA KEV catalog, and the findings that matching produces —
with their owner, remediation deadline (a dated, cited policy) and status.

Later parts of issue 21 (security levels and duties, incidents, GCB/EDR, training, drills, the
posture dashboard) get their own models in this app; nothing here needs to change for them: an
incident or a GCB result points to an Asset, the dashboard counts Findings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rdec.core.dates import roc_date
from rdec.core.rules import DatedRuleSet


class Severity(models.TextChoices):
    """CVSS v3/v4 qualitative bands on the *base* score (FIRST CVSS v3.1 specification §5)."""

    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    NONE = "none", _("None")
    UNSCORED = "", _("Not scored")


SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "none": 4, "": 5}


class Asset(models.Model):
    class Kind(models.TextChoices):
        HOST = "host", _("Host")
        SOFTWARE = "software", _("Software")
        APPLIANCE = "appliance", _("Appliance")

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="security_assets"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOST)
    hostname = models.CharField(_("host name"), max_length=200, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=200, blank=True)
    owner = models.CharField(
        _("owner"), max_length=100, blank=True, help_text=_("The person or unit in charge.")
    )
    end_of_support = models.BooleanField(
        _("end of support"),
        default=False,
        help_text=_("Marked by the agency; products past their support end are also flagged from the table."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="security_asset_unique_name")]

    def __str__(self) -> str:
        return self.name


class CpeFields(models.Model):
    """The eleven attributes of a CPE 2.3 name, stored parsed (canonical formatted-string values)."""

    part = models.CharField(_("part"), max_length=1)
    vendor = models.CharField(_("vendor"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    version = models.CharField(_("version"), max_length=200, default="*")
    update = models.CharField(_("update"), max_length=200, default="*")
    edition = models.CharField(_("edition"), max_length=200, default="*")
    language = models.CharField(_("language"), max_length=200, default="*")
    sw_edition = models.CharField(_("software edition"), max_length=200, default="*")
    target_sw = models.CharField(_("target software"), max_length=200, default="*")
    target_hw = models.CharField(_("target hardware"), max_length=200, default="*")
    other = models.CharField(_("other"), max_length=200, default="*")

    class Meta:
        abstract = True


class AssetCpe(CpeFields):
    """One product installed on an asset (or the asset itself), named in CPE 2.3."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Typed or picked")
        IMPORT = "import", _("Inventory import")
        API = "api", _("API")

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="cpes")
    cpe23 = models.CharField(_("CPE 2.3 name"), max_length=600)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("installed product")
        verbose_name_plural = _("installed products")
        ordering = ["asset", "cpe23"]
        constraints = [models.UniqueConstraint(fields=["asset", "cpe23"], name="security_assetcpe_unique")]
        indexes = [models.Index(fields=["vendor", "product"], name="security_assetcpe_vp")]

    def __str__(self) -> str:
        return self.cpe23


class Cve(models.Model):
    """One CVE as merged from the feeds loaded (NVD API 2.0, CVE JSON 5); each source's own
    modification time makes a re-import of the same record a no-op."""

    cve_id = models.CharField(_("CVE ID"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    modified = models.DateTimeField(_("last modified"), null=True, blank=True)
    nvd_modified = models.DateTimeField(_("NVD record modified"), null=True, blank=True)
    cve5_modified = models.DateTimeField(_("CVE record modified"), null=True, blank=True)
    vuln_status = models.CharField(_("NVD status"), max_length=40, blank=True)
    cvss_score = models.DecimalField(
        _("CVSS base score"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    cvss_temporal = models.DecimalField(
        _("CVSS temporal score"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    cvss_version = models.CharField(_("CVSS version"), max_length=5, blank=True)
    cvss_vector = models.CharField(_("CVSS vector"), max_length=300, blank=True)
    cvss_source = models.CharField(_("CVSS source"), max_length=100, blank=True)
    cvss_type = models.CharField(_("CVSS metric type"), max_length=20, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    metrics = models.JSONField(_("all CVSS metrics"), default=list, blank=True)

    class Meta:
        verbose_name = _("CVE")
        verbose_name_plural = _("CVEs")
        ordering = ["-cve_id"]

    def __str__(self) -> str:
        return self.cve_id


class CveConfiguration(models.Model):
    """An NVD configuration (or one built from a CVE JSON 5 `affected` entry): nodes joined by
    `operator` (AND, or OR when empty)."""

    class Source(models.TextChoices):
        NVD = "nvd", _("NVD")
        CNA = "cna", _("CNA (vendor)")
        ADP = "adp", _("CISA-ADP")

    cve = models.ForeignKey(
        Cve, verbose_name=_("CVE"), on_delete=models.CASCADE, related_name="configurations"
    )
    source = models.CharField(_("source"), max_length=5, choices=Source.choices)
    number = models.PositiveIntegerField(_("number"))
    operator = models.CharField(_("operator"), max_length=3, blank=True)
    negate = models.BooleanField(_("negate"), default=False)

    class Meta:
        verbose_name = _("CVE configuration")
        verbose_name_plural = _("CVE configurations")
        ordering = ["cve", "source", "number"]

    def __str__(self) -> str:
        return f"{self.cve_id} {self.source} #{self.number}"


class CveNode(models.Model):
    configuration = models.ForeignKey(
        CveConfiguration, verbose_name=_("configuration"), on_delete=models.CASCADE, related_name="nodes"
    )
    number = models.PositiveIntegerField(_("number"))
    operator = models.CharField(_("operator"), max_length=3, default="OR")
    negate = models.BooleanField(_("negate"), default=False)

    class Meta:
        verbose_name = _("configuration node")
        verbose_name_plural = _("configuration nodes")
        ordering = ["configuration", "number"]

    def __str__(self) -> str:
        return f"{self.configuration} node {self.number}"


class CpeMatch(CpeFields):
    """A `cpeMatch` criterion: a CPE name (possibly with `*`), the version bounds and whether it
    names the vulnerable product or only the platform it runs on (`vulnerable: false`)."""

    node = models.ForeignKey(
        CveNode, verbose_name=_("node"), on_delete=models.CASCADE, related_name="matches"
    )
    cve = models.ForeignKey(Cve, verbose_name=_("CVE"), on_delete=models.CASCADE, related_name="criteria")
    criteria = models.CharField(_("criteria"), max_length=600)
    vulnerable = models.BooleanField(_("vulnerable"), default=True)
    version_start_including = models.CharField(_("version from (including)"), max_length=100, blank=True)
    version_start_excluding = models.CharField(_("version after (excluding)"), max_length=100, blank=True)
    version_end_including = models.CharField(_("version up to (including)"), max_length=100, blank=True)
    version_end_excluding = models.CharField(_("version before (excluding)"), max_length=100, blank=True)
    match_criteria_id = models.CharField(_("match criteria ID"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("CPE match criterion")
        verbose_name_plural = _("CPE match criteria")
        indexes = [models.Index(fields=["vendor", "product"], name="security_cpematch_vp")]

    def __str__(self) -> str:
        return self.criteria


class KevEntry(models.Model):
    """An entry of CISA's Known Exploited Vulnerabilities catalog (kept even before its CVE is loaded)."""

    cve_id = models.CharField(_("CVE ID"), max_length=30, unique=True)
    vendor_project = models.CharField(_("vendor or project"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    name = models.CharField(_("vulnerability name"), max_length=500, blank=True)
    date_added = models.DateField(_("date added"))
    due_date = models.DateField(_("due date"))
    known_ransomware_use = models.CharField(_("known ransomware campaign use"), max_length=20, blank=True)
    required_action = models.TextField(_("required action"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("KEV entry")
        verbose_name_plural = _("KEV entries")
        ordering = ["-date_added", "cve_id"]

    def __str__(self) -> str:
        return self.cve_id


class SupportEnd(models.Model):
    """When a product's support ends (Windows 7, Server 2012, Office 2016…): a host carrying it
    after that day is flagged end-of-support. `version` `*` covers every version of the product."""

    vendor = models.CharField(_("vendor"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    version = models.CharField(_("version"), max_length=200, default="*")
    label = models.CharField(_("product name"), max_length=200)
    ends_on = models.DateField(_("support ends on"))
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("support end")
        verbose_name_plural = _("support ends")
        ordering = ["ends_on", "vendor", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "product", "version"], name="security_supportend_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class RemediationPolicy(DatedRuleSet):
    """How long an agency has to remediate a finding, by severity; a CVE on CISA's KEV list takes
    the catalog's due date first. The version in force on the day a finding is first matched (or
    matched again) decides its deadline."""

    critical_days = models.PositiveIntegerField(
        _("days for critical"), default=15, validators=[MinValueValidator(1)]
    )
    high_days = models.PositiveIntegerField(_("days for high"), default=30, validators=[MinValueValidator(1)])
    medium_days = models.PositiveIntegerField(
        _("days for medium"), default=90, validators=[MinValueValidator(1)]
    )
    low_days = models.PositiveIntegerField(_("days for low"), default=180, validators=[MinValueValidator(1)])
    unscored_days = models.PositiveIntegerField(
        _("days for unscored"), default=90, validators=[MinValueValidator(1)]
    )
    kev_due_first = models.BooleanField(_("KEV due date first"), default=True)

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("remediation deadline policy")
        verbose_name_plural = _("remediation deadline policies")

    def __str__(self) -> str:
        return _("Remediation policy from %(date)s") % {"date": roc_date(self.effective_from)}

    def days_for(self, severity: str) -> int:
        return {
            Severity.CRITICAL: self.critical_days,
            Severity.HIGH: self.high_days,
            Severity.MEDIUM: self.medium_days,
            Severity.LOW: self.low_days,
            Severity.NONE: self.low_days,
        }.get(severity, self.unscored_days)


class Finding(models.Model):
    """An asset found (or possibly) exposed to a CVE. Indeterminate findings (the inventory too
    vague to decide) carry their reasons and no deadline until the inventory says more."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FIXING = "fixing", _("Fixing")
        FIXED = "fixed", _("Fixed")
        EXCEPTION = "exception", _("Exception approved")

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="findings"
    )
    cve = models.ForeignKey(Cve, verbose_name=_("CVE"), on_delete=models.PROTECT, related_name="findings")
    determinate = models.BooleanField(_("determinate"), default=True)
    reasons = models.JSONField(_("reasons it is indeterminate"), default=list, blank=True)
    matched_cpes = models.JSONField(_("matched products"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    status_reason = models.TextField(_("reason of the last status change"), blank=True)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    deadline = models.DateField(_("remediation deadline"), null=True, blank=True)
    deadline_basis = models.CharField(_("deadline basis"), max_length=20, blank=True)
    exception_expires = models.DateField(_("exception expires"), null=True, blank=True)
    exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exception approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_matched = models.DateTimeField(_("first matched"))
    last_matched = models.DateTimeField(_("last matched"))
    matched_since = models.DateTimeField(_("matched again since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_automatically = models.BooleanField(
        _("closed by matching"), default=False, help_text=_("Closed because it no longer matched.")
    )
    reopened_count = models.PositiveIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["deadline", "asset", "cve"]
        constraints = [models.UniqueConstraint(fields=["asset", "cve"], name="security_finding_unique")]
        indexes = [models.Index(fields=["status", "deadline"], name="security_finding_due")]

    def __str__(self) -> str:
        return f"{self.asset} {self.cve_id}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.FIXED, self.Status.EXCEPTION)
