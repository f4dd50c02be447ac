from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rdec.core.models import AuditEntry
from rdec.opendata import services, vocab
from rdec.opendata.models import Dataset, Resource, ResourceVersion
from rdec.opendata.tests.factories import CSV, csv_upload, publish

pytestmark = pytest.mark.django_db


def test_staff_publish_a_dataset_with_the_next_identifier_of_their_agency_code(personas):
    first = publish(personas.staff)
    second = publish(personas.staff, title="臺中市道路養護案件")
    assert first.identifier == "387000000A-000001"
    assert second.identifier == "387000000A-000002"
    assert first.name == "387000000a-000001"
    assert first.license == vocab.License.OGDL_TW
    assert first.cost == vocab.Cost.FREE
    assert sorted(first.tags.values_list("name", flat=True)) == ["人口", "統計"]
    assert "人口" in first.search_text.split()


def test_publishing_is_audited(personas):
    dataset = publish(personas.staff)
    verbs = set(
        AuditEntry.objects.filter(target_type="opendata.dataset", target_id=str(dataset.pk)).values_list(
            "verb", flat=True
        )
    )
    assert verbs == {"", "dataset.published"}


def test_staff_cannot_publish_for_another_agency_but_officers_can(personas):
    with pytest.raises(PermissionDenied):
        publish(personas.staff, agency=personas.other_staff.agency)
    dataset = publish(personas.officer, agency=personas.other_staff.agency)
    assert dataset.agency == personas.other_staff.agency


def test_citizens_cannot_publish(personas):
    with pytest.raises(PermissionDenied):
        publish(personas.citizen, agency=personas.staff.agency)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("field_description", "統計項目、分類、經度、緯度"),
        ("update_frequency", "每15日或每2月"),
        ("category", "X00"),
        ("contact_email", "not-an-email"),
        ("title", ""),
    ],
)
def test_invalid_metadata_is_refused_with_a_message_naming_the_field(personas, field, value):
    with pytest.raises(ValidationError) as caught:
        publish(personas.staff, **{field: value})
    label = str(Dataset._meta.get_field(field).verbose_name)  # 主要欄位說明, 更新頻率, ... in zh-Hant
    messages = caught.value.message_dict[field]
    assert all(m.startswith(label) for m in messages), messages
    assert Dataset.objects.count() == 0


def test_the_standards_example_of_a_vague_field_description_is_refused():
    with pytest.raises(ValidationError):
        vocab.validate_field_description("統計項目、分類、經度、緯度")
    vocab.validate_field_description("lon(經度, WGS84)、lat(緯度, WGS84)、區域(行政區名稱)")


def test_field_description_parses_both_forms():
    assert vocab.parse_field_description("lon(經度, WGS84)、區域(行政區名稱)") == [
        {"name": "lon", "title": "經度", "description": "WGS84"},
        {"name": "區域", "title": "", "description": "行政區名稱"},
    ]


@pytest.mark.parametrize(
    "value", ["即時", "不定期", "每日", "每週", "每月", "每季", "每年", "每5分鐘", "每2小時"]
)
def test_standard_frequencies_are_accepted(value):
    vocab.validate_frequency(value)


def test_export_spellings_of_frequencies_are_normalised(personas):
    dataset = publish(personas.staff, update_frequency="不定時")
    assert dataset.update_frequency == "不定期"
    assert vocab.normalise_frequency("每周") == "每週"


def test_coverage_cannot_end_before_it_starts(personas):
    import datetime

    with pytest.raises(ValidationError) as caught:
        publish(
            personas.staff,
            temporal_from=datetime.date(2024, 1, 1),
            temporal_to=datetime.date(2023, 1, 1),
        )
    assert "temporal_to" in caught.value.message_dict


def test_an_uploaded_file_gets_its_size_checksum_format_and_first_version(personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(
        dataset, actor=personas.staff, description="人口統計CSV", upload=csv_upload()
    )
    assert resource.format == "CSV"
    assert resource.size == len(CSV)
    assert resource.sha256 == hashlib.sha256(CSV).hexdigest()
    assert resource.resource_id == f"{dataset.identifier}-001"
    assert list(resource.versions.values_list("number", flat=True)) == [1]


def test_a_resource_needs_a_url_or_a_file_but_not_both(personas):
    dataset = publish(personas.staff)
    with pytest.raises(ValidationError) as caught:
        services.add_resource(dataset, actor=personas.staff, description="無內容", format="CSV")
    assert caught.value.message_dict["url"][0].startswith(str(Resource._meta.get_field("url").verbose_name))


def test_an_unknown_encoding_is_refused(personas):
    dataset = publish(personas.staff)
    with pytest.raises(ValidationError) as caught:
        services.add_resource(
            dataset, actor=personas.staff, description="x", url="https://example.org/a.csv", encoding="EBCDIC"
        )
    assert "encoding" in caught.value.message_dict


def test_a_table_schema_must_list_named_fields(personas):
    dataset = publish(personas.staff)
    with pytest.raises(ValidationError):
        services.add_resource(
            dataset,
            actor=personas.staff,
            description="x",
            url="https://example.org/a.csv",
            schema={"fields": [{"type": "string"}]},
        )


def test_changing_the_file_keeps_the_old_version_with_its_date(personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(dataset, actor=personas.staff, description="人口", upload=csv_upload())
    new = CSV + "南屯區,180000\n".encode()
    services.update_resource(resource, actor=personas.staff, upload=csv_upload(new))
    versions = list(ResourceVersion.objects.filter(resource=resource).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].sha256 == hashlib.sha256(CSV).hexdigest()
    assert versions[1].sha256 == hashlib.sha256(new).hexdigest()
    assert versions[0].created_at <= versions[1].created_at


def test_changing_only_the_description_makes_no_new_version(personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(
        dataset, actor=personas.staff, description="人口", url="https://example.org/p.csv"
    )
    services.update_resource(resource, actor=personas.staff, description="人口（更正）")
    assert resource.versions.count() == 1


def test_another_agencys_staff_cannot_edit_or_add_resources(personas):
    dataset = publish(personas.staff)
    with pytest.raises(PermissionDenied):
        services.update_dataset(dataset, actor=personas.other_staff, title="改標題")
    with pytest.raises(PermissionDenied):
        services.add_resource(dataset, actor=personas.other_staff, description="x", url="https://e.org/a.csv")


def test_update_sets_metadata_time_and_replaces_tags(personas):
    dataset = publish(personas.staff)
    before = dataset.metadata_modified
    services.update_dataset(dataset, actor=personas.supervisor, title="臺中市各區人口", tags=["人口"])
    dataset.refresh_from_db()
    assert dataset.metadata_modified > before
    assert list(dataset.tags.values_list("name", flat=True)) == ["人口"]


def test_withdrawing_hides_the_dataset_and_keeps_the_identifier(personas):
    dataset = publish(personas.staff)
    services.delete_dataset(dataset, actor=personas.officer)
    again = publish(personas.staff)
    assert dataset.state == Dataset.State.DELETED
    assert again.identifier == "387000000A-000002"
