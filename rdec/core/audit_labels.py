"""What the audit trail shows people: the names of record types and of named events, translated,
instead of the codes stored in `AuditEntry` (`core.user`, `strategy.exported`).

The codes stay in the database and the API; the pages show `type_label()` and `event_label()`,
and the record-type filter offers `type_choices()` (a select of the tracked models by their names).
A new named event gets its label here: `test_every_recorded_event_has_a_label` finds the verbs
passed to `audit.record()` across the code base and fails on one without a label."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    "account.registered": _("Citizen account registered"),
    "endorsement.kept": _("Flagged support kept"),
    "endorsement.voided": _("Flagged support voided"),
    "mou.approvals_reset": _("MOU approvals reset (changed by more than half)"),
    "mou.created": _("MOU created"),
    "mou.expired": _("MOU expired"),
    "mou.full_text": _("MOU full text stored"),
    "mou.published": _("MOU published"),
    "mou.report": _("MOU yearly report added"),
    "mou.status": _("MOU status changed"),
    "participation.comment_posted": _("Consultation comment posted"),
    "participation.consultation_closed": _("Consultation closed"),
    "participation.consultation_created": _("Consultation created"),
    "participation.consultation_published": _("Consultation published"),
    "participation.consultation_reported": _("Consultation response report published"),
    "participation.conversation_created": _("Conversation created"),
    "participation.followed": _("Followed"),
    "participation.statement_accepted": _("Statement accepted"),
    "participation.statement_added": _("Statement added"),
    "participation.statement_hidden": _("Statement hidden"),
    "participation.unfollowed": _("Unfollowed"),
    "programs.call_created": _("Programme call created"),
    "security.feed_imported": _("Vulnerability feed loaded"),
    "security.finding_closed": _("Finding closed (no longer matched)"),
    "security.finding_reopened": _("Finding matched again"),
    "security.finding_status": _("Finding status changed"),
    "security.findings_viewed": _("Findings read"),
    "security.inventory_imported": _("Asset inventory imported"),
    "programs.conflict_declared": _("Reviewer declared a conflict of interest"),
    "programs.decided": _("Call submission decided"),
    "programs.field_posted": _("Validation field posted"),
    "programs.field_published": _("Validation field published"),
    "programs.field_unpublished": _("Validation field withdrawn from publication"),
    "programs.follow_on_recorded": _("Validation follow-on recorded"),
    "programs.incident_recorded": _("Validation incident recorded"),
    "programs.matched": _("Proposal matched to a field"),
    "programs.need_posted": _("Field-validation need posted"),
    "programs.proposal_submitted": _("Field-validation proposal submitted"),
    "programs.report_received": _("Validation report received"),
    "programs.result_recorded": _("Validation result recorded"),
    "programs.results_published": _("Call results published"),
    "programs.rubric_changed": _("Review rubric changed"),
    "programs.scores_imported": _("Paper review scores imported"),
    "programs.validation_started": _("Field validation started"),
    "programs.validation_withdrawn": _("Field validation withdrawn"),
    "programs.digest_created": _("Innovation digest created"),
    "programs.digest_item_added": _("Innovation digest item added"),
    "programs.digest_item_removed": _("Innovation digest item removed"),
    "programs.digest_sent": _("Innovation digest sent to agencies"),
    "programs.referral_assessed": _("Innovation digest item assessed by an agency"),
    "programs.process_reform_recorded": _("Process reform recorded"),
    "programs.innovation_entered": _("Innovation entry submitted to the year-end review"),
    "programs.innovation_awarded": _("Innovation award given"),
    "programs.revitalisation_filed": _("Regional revitalisation proposal filed"),
    "programs.revitalisation_meeting": _("Working meeting decision on a revitalisation proposal recorded"),
    "programs.revitalisation_approval": _("Ministry approval line of a revitalisation proposal added"),
    "programs.revitalisation_closed": _("Regional revitalisation proposal closed out"),
    "programs.research_topic_proposed": _("Research topic proposed"),
    "programs.research_project_created": _("Research project created"),
    "programs.research_grb_recorded": _("Research project's GRB registration recorded"),
    "programs.research_deliverable_saved": _("Research deliverable recorded"),
    "programs.research_report_added": _("Research report added to the library"),
    "programs.research_recommendation_added": _("Research recommendation added"),
    "programs.research_adoption_recorded": _("Decision on a research recommendation recorded"),
    "programs.assignment_removed": _("Reviewer assignment removed"),
    "proposal.accepted": _("Proposal accepted for support"),
    "proposal.assigned": _("Proposal assigned to an agency"),
    "proposal.established": _("Proposal established"),
    "proposal.extended": _("Proposal response deadline extended"),
    "proposal.meeting": _("Meeting with the proposer recorded"),
    "proposal.not_established": _("Proposal not established"),
    "proposal.rejected": _("Proposal rejected at check"),
    "proposal.responded": _("Proposal response published"),
    "proposal.submitted": _("Proposal submitted"),
    "analytics.report_requested": _("Analysis report requested"),
    "analytics.router_trained": _("Case routing model trained"),
    "analytics.router_promoted": _("Case routing model put in use"),
    "article.reviewed": _("Knowledge-base article reviewed"),
    "dataset.imported": _("Dataset imported"),
    "dataset.portal_requested": _("Sent to the national open data portal"),
    "dataset.portal_synced": _("Synchronised with the national open data portal"),
    "dataset.portal_failed": _("National open data portal synchronisation failed"),
    "dataset.published": _("Dataset published"),
    "dataset.withdrawn": _("Dataset withdrawn"),
    "deficiency_list.loaded": _("Deficiency list loaded"),
    "documents.imported": _("Document statistics imported"),
    "documents.ranking_published": _("Document ranking published"),
    "documents.recounted": _("Document statistics recounted"),
    "feedback.answered": _("Comment or data request answered"),
    "feedback.comment_submitted": _("Comment submitted"),
    "feedback.request_submitted": _("Data request submitted"),
    "feedback.approved": _("Comment approved for publication"),
    "feedback.hidden": _("Comment hidden"),
    "inspection.consequence": _("Inspection consequence recorded"),
    "inspection.improved": _("Inspection improvement reported"),
    "inspection.photo_added": _("Inspection photo added"),
    "inspection.recorded": _("Inspection recorded"),
    "inspection_rule.saved": _("Inspection rules saved"),
    "item.put_under_control": _("Put under control"),
    "item.released": _("Released from control"),
    "item.continued": _("Control continued"),
    "meeting.minutes_published": _("Meeting minutes published"),
    "petition.demo_seeded": _("Demonstration petitions created"),
    "petition.imported": _("Petitions imported"),
    "petition.personal_data_exported": _("Petitioner's personal data exported"),
    "petitions.exported": _("Petitions exported"),
    "strategy.exported": _("Strategy KPIs exported"),
    "strategy.reported": _("Quarterly KPI value reported"),
    "strategy.subsidy_cycle_opened": _("Subsidy cycle opened"),
    "strategy.subsidy_decided": _("Subsidy proposal decided"),
    "strategy.subsidy_proposed": _("Subsidy project proposed"),
    "strategy.subsidy_published": _("Subsidy results published"),
    "strategy.subsidy_reported": _("Subsidy progress reported"),
    "strategy.subsidy_scheduled": _("Subsidy schedule set"),
    "strategy.target_change_decided": _("Target change decided"),
    "strategy.target_change_requested": _("Target change requested"),
    "strategy.target_raised": _("Target raised"),
    "strategy.window_closed": _("Reporting window closed"),
    "strategy.window_extended": _("Reporting window extended"),
    "strategy.window_opened": _("Reporting window opened"),
    "tender.extended": _("Tender completion extended"),
    "tender.progress_imported": _("Tender progress imported"),
    "tracking.council_report_built": _("Council report built"),
    "tracking.council_report_generated": _("Council report generated"),
    "tracking.items_exported": _("Tracked items exported"),
    "tracking.meetings_exported": _("Meetings exported"),
    "transparency.award_imported": _("Award notice imported"),
    "transparency.contract_amended": _("Contract amendment recorded"),
    "transparency.contract_published": _("Contract published"),
    "transparency.document_added": _("Contract document added"),
    "transparency.document_withheld": _("Contract document withheld"),
    "user.created": _("User account created"),
    "poll.created": _("Opinion poll created"),
    "poll.fieldwork_imported": _("Poll fieldwork imported"),
    "poll.targets_loaded": _("Poll weighting targets loaded"),
    "poll.weighted": _("Poll weighted"),
    "poll.question_updated": _("Poll question changed"),
    "poll.reported": _("Poll marked reported"),
    "poll.published": _("Opinion poll published"),
    "poll.republished": _("Opinion poll published again"),
    "poll.contractor_key_issued": _("Poll contractor's API key issued"),
    "poll.contractor_key_revoked": _("Poll contractor's API key revoked"),
}

# Models that carry no verbose_name of their own (their default name is English).
MODEL_LABELS = {
    "petitions.extension": _("Extension request"),
    "petitions.reply": _("Reply"),
    "petitions.caseevent": _("Case history step"),
    "petitions.rating": _("Satisfaction rating"),
    "petitions.attachment": _("Attachment"),
    "petitions.replytemplate": _("Reply template"),
    "petitions.articleversion": _("Knowledge-base article version"),
    "petitions.notification": _("Notification"),
}

# Events named after a module's own list of steps: "petition.transferred" reads as the case history does.
EVENT_LABEL_SOURCES = {"petition.": "rdec.petitions.views.VERB_LABELS"}


def event_label(verb: str) -> str:
    """The named event as people read it; the code itself when no label is known (never blank)."""
    if not verb:
        return ""
    if verb in EVENT_LABELS:
        return str(EVENT_LABELS[verb])
    for prefix, source in EVENT_LABEL_SOURCES.items():
        if verb.startswith(prefix):
            labels = import_string(source)
            if verb[len(prefix) :] in labels:
                return str(labels[verb[len(prefix) :]])
    return verb


def type_label(target_type: str) -> str:
    """`core.user` → 使用者: the model's verbose name; the code when the model is gone."""
    if target_type in MODEL_LABELS:
        return str(MODEL_LABELS[target_type])
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(capfirst(model._meta.verbose_name))


# what an event records beside a record's own fields (audit.record(verb, obj, **data)), by its key
DATA_LABELS = {
    "decision": pgettext_lazy("audit data", "Decision"),
    "referrals": pgettext_lazy("audit data", "Referrals"),
    "duplicates": pgettext_lazy("audit data", "Possible duplicates"),
    "filename": pgettext_lazy("audit data", "File"),
    "variables": pgettext_lazy("audit data", "Variables"),
    "via": pgettext_lazy("audit data", "Read through"),
    "status": pgettext_lazy("audit data", "Status filter"),
    "severity": pgettext_lazy("audit data", "Severity filter"),
    "determinate": pgettext_lazy("audit data", "Determinate filter"),
    "due": pgettext_lazy("audit data", "Deadline filter"),
    "agency": pgettext_lazy("audit data", "Agency filter"),
}


def field_label(target_type: str, name: str) -> str:
    """A changed field by its verbose name (`deadline` → 期限); the name itself when unknown."""
    try:
        field = apps.get_model(target_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return str(DATA_LABELS.get(name, name))
    verbose = getattr(field, "verbose_name", None)
    return str(capfirst(verbose)) if verbose and str(verbose) != name.replace("_", " ") else name


def value_label(target_type: str, name: str, value):
    """A choice field's stored code by its label (`overdue` → 逾期), so the audit reads as the pages do;
    any other value, or a code the choices no longer hold, as it is."""
    if value is None or isinstance(value, (list, dict)):
        return value
    try:
        field = apps.get_model(target_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return value
    for code, label in getattr(field, "flatchoices", None) or ():
        if str(code) == str(value):
            return str(label)
    return value


def type_choices() -> list[tuple[str, str]]:
    """The tracked record types for the audit filter, by name; a name two modules share says whose
    it is (檢討改進報告（標案與工程）)."""
    from rdec.core import audit

    codes = sorted({m._meta.label_lower for m in audit.tracked_models()})
    names = {code: type_label(code) for code in codes}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    for code, name in names.items():
        if counts[name] > 1:
            module = apps.get_app_config(code.split(".")[0]).verbose_name
            names[code] = f"{name}（{module}）"
    return sorted(names.items(), key=lambda item: item[1])
