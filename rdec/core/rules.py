"""Dated, cited rule sets: the one model every module's rules are built on.

A rule set is a table of *versions*; each version holds a module's thresholds (a deadline in days,
a percentage, a grade band…) together with the date it takes effect, the source it comes from
(law, 要點, letter, meeting minutes — or, honestly, "開發團隊預設值，未經研考會確認"), free notes and
whether the RDEC has confirmed it against that source. The version in force on a day D is the one
with the latest `effective_from` on or before D; a record is judged by the version in force on its
own date (a petition's day of receipt, a month's last day, an inspection's date), so adding a
version from a new date never changes what was decided before it.

A module declares its rule set by subclassing `DatedRuleSet` and registering it in its
`AppConfig.ready()` with `register_rule_set(...)`; the RDEC's page /rules/ then lists its versions,
sources, the version in force and the next change. See docs/architecture.md ("Dated, cited rule
sets").
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

V = TypeVar("V")


class RuleBook(Generic[V]):
    """Versions loaded once, answering "which version was in force on this day" quickly (bisect),
    for code that asks for many days (a recount of a million documents, a year's regrading).

    `before_first` decides what a day before the first version gets: "earliest" (the first
    version, as tenders and documents do), or None. `default` is returned when there is no version
    at all (a fresh database before a data migration shipped the first one)."""

    def __init__(
        self, versions: Iterable[V], *, before_first: str | None = "earliest", default: V | None = None
    ):
        self.versions: list[V] = sorted(versions, key=lambda v: v.effective_from)
        self._starts = [v.effective_from for v in self.versions]
        self.before_first = before_first
        self.default = default
        self._cache: dict[datetime.date, V | None] = {}

    def on(self, day: datetime.date) -> V | None:
        try:
            return self._cache[day]
        except KeyError:
            pass
        if not self.versions:
            found = self.default
        else:
            i = bisect.bisect_right(self._starts, day) - 1
            if i >= 0:
                found = self.versions[i]
            else:
                found = self.versions[0] if self.before_first == "earliest" else None
        self._cache[day] = found
        return found

    def next_change(self, day: datetime.date) -> V | None:
        """The first version taking effect after `day` (None when none is planned)."""
        i = bisect.bisect_right(self._starts, day)
        return self.versions[i] if i < len(self.versions) else None


class ProcessRuleBook(Generic[V]):
    """A per-process RuleBook of one rule set for the hot paths (a petition's deadline on every
    filing, the 附議 flags on every support): the few versions are read at most once every `ttl`
    seconds instead of once a request. Saving or deleting a version in this process drops the table
    at once (`connect()` in the app's ready()); another process sees the change within `ttl`.

    `model`: the rule set, or its "app_label.ModelName" (resolved on first use, so a module imported
    before the apps are ready can hold its table). `default` (a callable) gives the answer when there
    is no version at all."""

    _books: list[ProcessRuleBook] = []

    def __init__(
        self,
        model: type[models.Model] | str,
        *,
        before_first: str | None = "earliest",
        default: Callable[[], V] | None = None,
        ttl: float = 60.0,
    ):
        self._model = model
        self.before_first = before_first
        self.default = default
        self.ttl = ttl
        self._at = -1e9
        self._book: RuleBook[V] | None = None
        ProcessRuleBook._books.append(self)

    @property
    def model(self) -> type[models.Model]:
        if isinstance(self._model, str):
            from django.apps import apps

            self._model = apps.get_model(self._model)
        return self._model

    def on(self, day: datetime.date) -> V | None:
        import time

        now = time.monotonic()
        book = self._book
        if book is None or now - self._at > self.ttl:
            default = self.default() if self.default is not None else None
            book = RuleBook(self.model.objects.all(), before_first=self.before_first, default=default)
            self._book, self._at = book, now
        return book.on(day)

    def forget(self, **_kwargs) -> None:
        self._book = None

    def connect(self) -> None:
        from django.db.models.signals import post_delete, post_save

        uid = f"process-rule-book-{self.model._meta.label_lower}"
        post_save.connect(self.forget, sender=self.model, dispatch_uid=uid, weak=False)
        post_delete.connect(self.forget, sender=self.model, dispatch_uid=f"{uid}-del", weak=False)

    @classmethod
    def forget_all(cls) -> None:
        """Drop every table (the tests call it between tests: rolled-back rows send no signal)."""
        for book in cls._books:
            book.forget()


class DatedRuleSetQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("effective_from")

    def in_force(self, on: datetime.date, *, before_first: str | None = None):
        """The version in force on `on`: the latest `effective_from` on or before it. Before the
        first version: None, or the first version with before_first="earliest"."""
        found = self.filter(effective_from__lte=on).order_by("-effective_from").first()
        if found is None and before_first == "earliest":
            found = self.chronological().first()
        return found

    def next_change(self, after: datetime.date):
        """The first version taking effect after `after` (None when none is planned)."""
        return self.filter(effective_from__gt=after).order_by("effective_from").first()

    def book(self, *, before_first: str | None = "earliest", default=None) -> RuleBook:
        return RuleBook(self, before_first=before_first, default=default)


class DatedRuleSet(models.Model):
    """Abstract base of every dated, cited rule set (one row = one version).

    Subclasses add their thresholds as fields and keep their own `Meta` (ordering by
    `-effective_from`, verbose names). `effective_from` is unique within the table: one table is one
    kind of rule, so two versions never start on the same day."""

    effective_from = models.DateField(
        _("effective from"),
        unique=True,
        help_text=_("Records are judged by the version in force on their own date."),
    )
    source = models.TextField(
        _("source"),
        help_text=_(
            "Where these values come from: the law, directive or letter (number and date), or a URL."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    confirmed = models.BooleanField(
        _("confirmed by the RDEC"),
        default=False,
        help_text=_("Checked against the source by the RDEC. Unticked: a default not yet confirmed."),
    )

    objects = DatedRuleSetQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-effective_from"]

    def clean(self) -> None:
        super().clean()
        if not (self.source or "").strip():
            raise ValidationError({"source": [_("Cite the source of these rules.")]})


# --- the registry of rule sets (the RDEC's page /rules/ lists them) ------------------------------------


BASE_FIELDS = {"id", "effective_from", "source", "notes", "confirmed"}


def describe_values(version: DatedRuleSet) -> str:
    """A version's own values in one line: "label: value; …" (the base's fields left out)."""
    parts = []
    for f in version._meta.concrete_fields:
        if f.name not in BASE_FIELDS:
            value = getattr(version, f.attname)
            if f.choices:
                value = getattr(version, f"get_{f.name}_display")()
            elif isinstance(value, bool):
                value = _("Yes") if value else _("No")
            parts.append(gettext("%(label)s: %(value)s") % {"label": f.verbose_name, "value": value})
    return gettext("; ").join(parts)


@dataclass(frozen=True)
class RuleSetEntry:
    model: type[DatedRuleSet]
    url_name: str  # the module's own page for reading or editing the versions
    describe: Callable[[DatedRuleSet], str]  # the version's values in one line

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_rule_sets: dict[str, RuleSetEntry] = {}


def register_rule_set(
    model: type[DatedRuleSet],
    *,
    url_name: str | None = None,
    describe: Callable[[DatedRuleSet], str] = describe_values,
) -> None:
    """Declare a module's rule set (call from AppConfig.ready()). `url_name` is the module's page
    for its versions; by default the admin's list of the model."""
    if not issubclass(model, DatedRuleSet):
        raise TypeError(f"{model.__name__} is not a DatedRuleSet")
    opts = model._meta
    name = url_name or f"admin:{opts.app_label}_{opts.model_name}_changelist"
    _rule_sets[opts.label_lower] = RuleSetEntry(model, name, describe)


def rule_sets() -> list[RuleSetEntry]:
    return sorted(_rule_sets.values(), key=lambda e: e.key)
