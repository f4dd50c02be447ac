"""Petitions API: categories (public) and cases (scoped by selectors.cases_visible_to), with each
workflow step as a POST sub-route calling its service. A step the user may not take is a 403
(checked first, with permissions.py); a step the case's state does not allow is a 400."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from rdec.core import selectors as core_selectors
from rdec.core.middleware import client_ip
from rdec.core.permissions import require
from rdec.petitions import selectors, services
from rdec.petitions.api import serializers as s
from rdec.petitions.api.intake import default_channel, idempotency_key, scoped_key
from rdec.petitions.models import Case, Extension, Reply

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="A client-chosen key (at most 64 characters): a retry with the same key returns the "
    "case the first request made, with 200 instead of 201.",
)


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _district(code: str):
    if not code:
        return None
    district = core_selectors.districts_public().filter(code=code).first()
    if district is None:
        raise ValidationError({"district": [_("No district has this code.")]})
    return district


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The category tree (groups and their leaves; a case is filed under a leaf). Public."""

    permission_classes = [AllowAny]
    serializer_class = s.CategorySerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_-]+"

    def get_queryset(self):
        return selectors.categories_active()


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Petition cases the user may see: agency staff their agency's (and co-agency) cases, RDEC
    officers and call agents all, citizens their own. Personal data is masked for non-handlers."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.CaseSerializer
    queryset = Case.objects.none()  # for the schema; get_queryset scopes to the user
    lookup_field = "number"
    lookup_value_regex = r"\d{2,4}-\d{7}"

    def get_queryset(self):
        qs = (
            selectors.cases_visible_to(self.request.user)
            .select_related("village", "merged_into")
            .defer("district__geometry", "village__geometry")
        )
        if self.action != "list":
            return qs
        query = s.CaseFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        if f.get("status") == "open":
            qs = qs.filter(status__in=Case.OPEN_STATUSES)
        elif f.get("status") == "closed":
            qs = qs.exclude(status__in=Case.OPEN_STATUSES)
        elif f.get("status"):
            qs = qs.filter(status=f["status"])
        if f.get("category"):
            qs = qs.filter(Q(category__code=f["category"]) | Q(category__parent__code=f["category"]))
        if f.get("district"):
            qs = qs.filter(district__code=f["district"])
        if f.get("agency"):
            qs = qs.filter(agency__code=f["agency"])
        if f.get("due_before"):
            qs = qs.filter(due_date__lte=f["due_before"])
        return qs

    @extend_schema(parameters=[s.CaseFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        request=s.CaseCreateSerializer,
        responses={
            201: OpenApiResponse(s.CaseCreatedSerializer, description="The case was filed."),
            200: OpenApiResponse(
                s.CaseCreatedSerializer, description="A retry with a known Idempotency-Key: that case."
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        """File a case (受理 and 分案 to the category's agency, due date on the office calendar)."""
        data = _input(s.CaseCreateSerializer, request)
        key = idempotency_key(request)
        category = selectors.leaf_category(data["category"])
        if category is None:
            raise ValidationError({"category": [_("Choose a category from the list.")]})
        district = _district(data["district"])
        user = request.user
        channel = data.get("channel") or default_channel(user)
        case, code = services.file_case(
            actor=user,
            channel=channel,
            category=category,
            subject=data["subject"],
            description=data["description"],
            address=data["address"],
            lat=data["lat"],
            lon=data["lon"],
            district=district,
            petitioner_name=data["petitioner_name"],
            petitioner_phone=data["petitioner_phone"],
            petitioner_email=data["petitioner_email"],
            confidential=data["confidential"],
            idempotency_key=scoped_key(user, key),
        )
        if code is None:  # a retry: the case as stored
            case = selectors.cases_public().get(pk=case.pk)
        # else the case just made, with its category, agency and place already at hand
        case.tracking_code = code
        body = s.CaseCreatedSerializer(case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if code is not None else status.HTTP_200_OK)

    # --- workflow steps -------------------------------------------------------------------------

    def _case_for(self, permission: str) -> Case:
        """The case (404 unless visible to the user), once the user may take this step (else 403)."""
        case = self.get_object()
        require(self.request.user, permission, case)
        return case

    def _case(self, case: Case) -> Response:
        fresh = selectors.cases_visible_to(self.request.user).filter(pk=case.pk).first()
        if fresh is None:  # e.g. transferred out of the user's agency: what the user may still see
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        request=s.TransferSerializer,
        responses={200: s.CaseSerializer, 204: OpenApiResponse(description="Transferred out of sight.")},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, number=None):
        """移文: hand the case to another agency, with the reason."""
        case = self._case_for("petitions.transfer")
        data = _input(s.TransferSerializer, request)
        agency = core_selectors.agencies_public().filter(code=data["agency"]).first()
        if agency is None:
            raise ValidationError({"agency": [_("No agency has this code.")]})
        services.transfer_case(case, actor=request.user, agency=agency, reason=data["reason"])
        return self._case(case)

    @extend_schema(request=s.ReassignSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, number=None):
        """改分: give the case to another handler of the agency (supervisors)."""
        case = self._case_for("petitions.reassign")
        data = _input(s.ReassignSerializer, request)
        handler = get_user_model().objects.filter(username=data["handler"], is_active=True).first()
        if handler is None:
            raise ValidationError({"handler": [_("The handler must be staff of the case's agency.")]})
        services.reassign_case(case, actor=request.user, handler=handler, note=data["note"])
        return self._case(case)

    @extend_schema(request=s.MergeSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, number=None):
        """併案: merge this duplicate into a main case; its petitioner gets the main reply."""
        case = self._case_for("petitions.merge")
        data = _input(s.MergeSerializer, request)
        into = selectors.cases_visible_to(request.user).filter(number=data["into"]).first()
        if into is None:
            raise ValidationError({"into": [_("No case you can see has this number.")]})
        services.merge_case(case, actor=request.user, into=into, note=data["note"])
        return self._case(case)

    @extend_schema(request=s.ExtensionRequestSerializer, responses={201: s.ExtensionSerializer})
    @action(detail=True, methods=["post"], url_path="extension-request")
    def extension_request(self, request, number=None):
        """展期: ask a supervisor for more working days, before the due date."""
        case = self._case_for("petitions.request_extension")
        data = _input(s.ExtensionRequestSerializer, request)
        extension = services.request_extension(
            case, actor=request.user, working_days=data["working_days"], reason=data["reason"]
        )
        return Response(s.ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ExtensionDecisionSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request, number=None):
        """The supervisor approves (the due date moves; the petitioner is told) or rejects the
        pending extension request."""
        case = self._case_for("petitions.decide_extension")
        data = _input(s.ExtensionDecisionSerializer, request)
        pending = case.extensions.filter(status=Extension.Status.PENDING).first()
        if pending is None:
            raise services.TransitionError(_("No extension request is waiting for a decision."))
        services.decide_extension(pending, actor=request.user, approve=data["approve"], note=data["note"])
        return self._case(case)

    @extend_schema(request=s.ReplyInputSerializer, responses={201: s.ReplySerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, number=None):
        """Write the public reply (and an internal note kept apart), submitted for approval."""
        case = self._case_for("petitions.draft_reply")
        data = _input(s.ReplyInputSerializer, request)
        reply = services.save_reply(
            case,
            actor=request.user,
            body=data["body"],
            internal_note=data["internal_note"],
            submit=data["submit"],
        )
        return Response(s.ReplySerializer(reply).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ApproveSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, number=None):
        """The supervisor approves the submitted reply (sent to the petitioner of this case and of
        every case merged into it) or returns it for revision."""
        case = self._case_for("petitions.approve_reply")
        data = _input(s.ApproveSerializer, request)
        reply = case.replies.filter(status=Reply.Status.SUBMITTED).first()
        if reply is None:
            raise services.TransitionError(_("Only a reply awaiting approval can be approved or returned."))
        services.approve_reply(reply, actor=request.user, approve=data["approve"], note=data["note"])
        return self._case(case)

    @extend_schema(request=s.NoteSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, number=None):
        """結案 after the reply."""
        case = self._case_for("petitions.close")
        data = _input(s.NoteSerializer, request)
        services.close_case(case, actor=request.user, note=data["note"])
        return self._case(case)

    @extend_schema(request=s.ReopenSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, number=None):
        """Reopen after a dissatisfied rating (1 or 2), with a new due date."""
        case = self._case_for("petitions.reopen")
        data = _input(s.ReopenSerializer, request)
        services.reopen_case(
            case, actor=request.user, reason=data["reason"], working_days=data.get("working_days")
        )
        return self._case(case)

    @extend_schema(request=s.WithdrawSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, number=None):
        """撤回 at the petitioner's request (or by the citizen for their own case); a 1999 call agent
        gives the caller's phone, which must be the case's petitioner phone, and the reason."""
        case = self._case_for("petitions.withdraw")
        data = _input(s.WithdrawSerializer, request)
        services.withdraw_case(
            case, actor=request.user, reason=data["reason"], caller_phone=data["caller_phone"]
        )
        return self._case(case)


class SubmissionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Queued intake for connected systems: the submission is checked and stored at once (202 with a
    token and the tracking code), and filed as a case moments later; GET by token tells the case
    number once filed. For bursts from other systems; people filing one case use POST /cases/."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.SubmissionSerializer
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_-]+"

    def get_queryset(self):
        return selectors.submissions_visible_to(self.request.user).select_related("case")

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        request=s.CaseCreateSerializer,
        responses={
            202: OpenApiResponse(
                s.SubmissionCreatedSerializer, description="Stored; it will be filed shortly."
            ),
            200: OpenApiResponse(
                s.SubmissionCreatedSerializer,
                description="A retry with a known Idempotency-Key: that submission.",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        """Submit a case to the queued intake (checked as POST /cases/ checks it)."""
        data = _input(s.CaseCreateSerializer, request)
        key = idempotency_key(request)
        category = selectors.leaf_category(data.pop("category"))
        if category is None:
            raise ValidationError({"category": [_("Choose a category from the list.")]})
        district = _district(data.pop("district"))
        data.setdefault("channel", default_channel(request.user))
        submission, created = services.submit_case(
            actor=request.user,
            category=category,
            district=district,
            data=data,
            idempotency_key=scoped_key(request.user, key),
            ip_address=client_ip(request),
        )
        submission.tracking_code = submission.tracking_code if created else None
        body = s.SubmissionCreatedSerializer(submission).data
        return Response(body, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)
