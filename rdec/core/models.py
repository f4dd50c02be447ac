"""The platform's shared records: agencies, districts and villages, the office calendar, people and
roles, machine API keys and the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class Agency(models.Model):
    """A unit of the city government: the city itself, a first-level agency (一級機關), a
    second-level agency (二級機關), a group of offices (各區戶政事務所) or a district office (區公所)."""

    class Level(models.TextChoices):
        CITY = "city", _("City government")
        FIRST = "first", _("First-level agency")
        SECOND = "second", _("Second-level agency")
        GROUP = "group", _("Group of offices")
        DISTRICT_OFFICE = "district_office", _("District office")

    class EvaluationGroup(models.TextChoices):
        AGENCY = "agency", _("Agency group")
        DISTRICT = "district", _("District office group")

    code = models.CharField(_("code"), max_length=40, unique=True)
    oid = models.CharField(_("government agency code"), max_length=20, blank=True)
    name = models.CharField(_("full name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.ForeignKey(
        "District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
    )
    evaluation_group = models.CharField(
        _("evaluation group"), max_length=20, choices=EvaluationGroup.choices, blank=True
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )


class District(models.Model):
    """An administrative district (行政區) keyed by its MOI 8-digit TOWNCODE."""

    code = models.CharField(_("MOI code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=20)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    city_code = models.CharField(_("city code"), max_length=5)
    city_name = models.CharField(_("city"), max_length=20)
    geometry = models.JSONField(_("boundary (GeoJSON)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village (里), keyed by its 11-digit VILLCODE (TOWNCODE + 3 digits)."""

    code = models.CharField(_("MOI code"), max_length=11, unique=True)
    name = models.CharField(_("name"), max_length=20)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="villages"
    )
    geometry = models.JSONField(_("boundary (GeoJSON)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self) -> str:
        return f"{self.district.name}{self.name}"


class CalendarDay(models.Model):
    """One day of the government office calendar (行政機關辦公日曆表)."""

    date = models.DateField(_("date"), unique=True)
    is_holiday = models.BooleanField(_("day off"))
    description = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return self.date.isoformat()


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    CALL_AGENT = "call_agent", _("1999 call agent")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    SUPERVISOR = "supervisor", _("Agency supervisor")
    RDEC_OFFICER = "rdec_officer", _("RDEC officer")
    ADMIN = "admin", _("Administrator")
    SYSTEM = "system", _("Connected system")


AGENCY_ROLES = {Role.AGENCY_STAFF, Role.SUPERVISOR}
OVERSIGHT_ROLES = {Role.RDEC_OFFICER, Role.ADMIN}


class User(AbstractUser):
    """A person (or, with role SYSTEM, a connected system holding an API key)."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in AGENCY_ROLES and self.agency_id is None:
            raise ValidationError({"agency": _("Agency staff and supervisors must belong to an agency.")})

    @property
    def is_oversight(self) -> bool:
        """RDEC officers and administrators see every agency's work; so does an oversight API key
        (always read-only, so it never writes across agencies)."""
        if not self.is_active:
            return False
        if self.role == Role.SYSTEM:
            return self.api_scope[1]
        return self.role in OVERSIGHT_ROLES or self.is_superuser

    @property
    def api_scope(self) -> tuple[bool, bool]:
        """(read-only, oversight) of a connected system's key; (True, False) with no usable key."""
        if self.role != Role.SYSTEM:
            return (False, False)
        scope = self.__dict__.get("_api_scope")
        if scope is None:
            key = getattr(self, "api_key", None)  # the reverse one-to-one: None when there is none
            scope = (True, False) if key is None else (key.read_only, key.oversight)
            self.__dict__["_api_scope"] = scope
        return scope

    @property
    def api_read_only(self) -> bool:
        return self.role == Role.SYSTEM and self.api_scope[0]

    @property
    def is_agency_member(self) -> bool:
        return (
            self.is_active
            and self.agency_id is not None
            and (self.role in AGENCY_ROLES or self.role == Role.SYSTEM)
        )


class APIKey(AbstractAPIKey):
    """A machine's key. Stored hashed; authenticates as its service user, scoped to its agency."""

    user = models.OneToOneField(
        User, verbose_name=_("service user"), on_delete=models.CASCADE, related_name="api_key"
    )
    # scopes (`rdec create_api_key --oversight --read-only`): see docs/security.md
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("The key may read but never change anything.")
    )
    oversight = models.BooleanField(
        _("oversight"),
        default=False,
        help_text=_(
            "The key reads every agency's work as an RDEC officer does; such a key is always read-only."
        ),
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(oversight=False) | models.Q(read_only=True),
                name="core_apikey_oversight_is_read_only",
            )
        ]

    @property
    def scope_label(self) -> str:
        parts = [
            _("oversight (every agency)")
            if self.oversight
            else _("agency %(agency)s") % {"agency": getattr(self.user.agency, "code", None) or "-"}
        ]
        parts.append(_("read-only") if self.read_only else _("read and write"))
        return ", ".join(str(p) for p in parts)


class AuditEntry(models.Model):
    """One change to a domain record: who, when, from where, what before and after. Never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        EVENT = "event", _("Event")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    verb = models.CharField(_("event"), max_length=80, blank=True)
    target_type = models.CharField(_("record type"), max_length=80, db_index=True)
    target_id = models.CharField(_("record id"), max_length=64, db_index=True)
    target_repr = models.CharField(_("record"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit entries cannot be deleted."))


class OneTimeCode(models.Model):
    """A one-time code sent to verify a phone (SMS) or an e-mail address. Only a hash of the code is
    kept; it expires, and it is refused after a few wrong tries."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    destination = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "channel", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel}"
