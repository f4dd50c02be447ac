"""API of conversations (Pol.is method): the opinion groups of a conversation (public).

`GET /api/v1/participation/conversations/{slug}/groups/` →
`{"groups": [{"id", "size", "participants", "representative": [{"statement_id", "text", "agree_ratio",
"direction"}]}], "consensus": [{"statement_id", "text", "score"}]}`:

- `participants`: opaque ids only — Pol.is's voter ids for an imported conversation, random ids for the
  platform's citizens; never a name, e-mail or phone;
- `statement_id`: Pol.is's comment id for an imported statement (`Statement.external_id`), else the
  statement's id on the platform;
- `agree_ratio`: the share of the group's members who voted on the statement (passes included) and agreed;
  `direction` says whether the statement sets the group apart by agreeing (`agree`) or disagreeing
  (`disagree`) more than the rest;
- `score`: the group-informed consensus, the product over groups of (agrees + 1) / (votes + 2).

Both lists are empty until the conversation has been computed (it is recomputed as votes arrive).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from rdec.participation import selectors


class RepresentativeSerializer(serializers.Serializer):
    statement_id = serializers.IntegerField(
        help_text="Pol.is's comment id for an imported conversation, else the statement's id"
    )
    text = serializers.CharField()
    agree_ratio = serializers.FloatField(
        help_text="share of the group's votes on the statement (passes included) that agree"
    )
    direction = serializers.ChoiceField(
        choices=["agree", "disagree"], help_text="how the group differs from the rest on it"
    )


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="0, 1, … by size, largest first")
    size = serializers.IntegerField()
    participants = serializers.ListField(
        child=serializers.CharField(), help_text="opaque participant ids (Pol.is voter ids when imported)"
    )
    representative = RepresentativeSerializer(many=True)


class ConsensusSerializer(serializers.Serializer):
    statement_id = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField(help_text="Π over groups of (agrees + 1) / (votes + 2)")


class ConversationGroupsSerializer(serializers.Serializer):
    groups = GroupSerializer(many=True)
    consensus = ConsensusSerializer(many=True)


class ConversationViewSet(viewsets.GenericViewSet):
    """Conversations (Pol.is method): opinion groups computed from agree/disagree/pass votes."""

    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    serializer_class = ConversationGroupsSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.conversations_list()

    @extend_schema(responses={200: ConversationGroupsSerializer})
    @action(detail=True, methods=["get"])
    def groups(self, request, slug=None, format=None):  # noqa: A002 - DRF passes the suffix as `format`
        """The conversation's opinion groups with their participants (opaque ids) and representative
        statements, and the group-informed consensus statements, as last computed."""
        conversation = selectors.get_conversation(slug)
        return Response(ConversationGroupsSerializer(selectors.conversation_groups(conversation)).data)


def register(router) -> None:
    router.register("participation/conversations", ConversationViewSet, basename="participation-conversation")
