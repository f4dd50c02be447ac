from __future__ import annotations

import pytest
from django.urls import reverse

from rdec.opendata import services
from rdec.opendata.models import Dataset
from rdec.opendata.tests.factories import CSV, csv_upload, publish

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)


def form_data(**kwargs):
    data = {
        "agency": "",
        "title": "臺中市公有停車場即時剩餘車位",
        "description": "本市公有路外停車場之即時剩餘車位數。",
        "category": "A00",
        "field_description": "場站名稱(停車場名稱)、剩餘車位(即時剩餘小型車位數)",
        "update_frequency": "即時",
        "dataset_type": "rawData",
        "license": "ogdl-tw-1.0",
        "cost": "free",
        "language": "zh-TW",
        "contact_name": "王承辦",
        "contact_phone": "04-22289111",
        "contact_email": "parking@taichung.gov.tw",
        "tags": "停車、車位",
        "resource_description": "剩餘車位CSV",
        "resource_encoding": "UTF-8",
    }
    data.update(kwargs)
    return data


def test_search_page_finds_a_two_character_word_and_shows_facets(client, personas):
    publish(personas.staff, title="臺中市公有停車場即時剩餘車位", category="A00")
    publish(personas.staff, title="臺中市各區人口統計")
    response = client.get(reverse("opendata:dataset-list"), {"q": "停車"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "臺中市公有停車場即時剩餘車位" in content
    assert "臺中市各區人口統計" not in content
    assert 'data-testid="facet-agency"' in content


def test_search_page_filters_by_facet(client, personas):
    publish(personas.staff, title="建設局資料")
    publish(personas.other_staff, title="環保局資料")
    response = client.get(reverse("opendata:dataset-list"), {"agency": "environment"})
    content = response.content.decode()
    assert "環保局資料" in content and "建設局資料" not in content


def test_dataset_page_shows_metadata_and_a_download_link(client, personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(
        dataset, actor=personas.staff, description="人口CSV", upload=csv_upload()
    )
    response = client.get(reverse("opendata:dataset-detail", args=[dataset.name]))
    content = response.content.decode()
    assert dataset.identifier in content
    assert "政府資料開放授權條款第1版" in content
    assert reverse("opendata:resource-download", args=[resource.pk]) in content
    download = client.get(reverse("opendata:resource-download", args=[resource.pk]))
    assert b"".join(download.streaming_content) == CSV


def test_staff_publish_with_a_csv_from_the_form(client, personas):
    login(client, personas.staff)
    data = form_data(agency=personas.staff.agency_id, resource_file=csv_upload())
    response = client.post(reverse("opendata:dataset-create"), data)
    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert dataset.agency == personas.staff.agency
    assert dataset.resources.get().format == "CSV"


def test_the_form_shows_the_standards_errors_on_the_field(client, personas):
    login(client, personas.staff)
    data = form_data(agency=personas.staff.agency_id, field_description="統計項目、分類")
    response = client.post(reverse("opendata:dataset-create"), data)
    assert response.status_code == 400
    assert "field_description" in response.context["form"].errors
    assert not Dataset.objects.exists()


def test_a_bad_resource_rolls_back_the_whole_publication(client, personas):
    login(client, personas.staff)
    data = form_data(
        agency=personas.staff.agency_id, resource_url="https://e.org/a.csv", resource_file=csv_upload()
    )
    response = client.post(reverse("opendata:dataset-create"), data)
    assert response.status_code == 400
    assert "resource_url" in response.context["form"].errors
    assert not Dataset.objects.exists()


def test_staff_cannot_pick_another_agency(client, personas):
    login(client, personas.staff)
    response = client.post(
        reverse("opendata:dataset-create"), form_data(agency=personas.other_staff.agency_id)
    )
    assert response.status_code == 400
    assert "agency" in response.context["form"].errors


def test_citizens_get_no_publish_form(client, personas):
    login(client, personas.citizen)
    response = client.get(reverse("opendata:dataset-create"))
    assert response.status_code == 403


def test_staff_edit_their_dataset_but_not_another_agencys(client, personas):
    own = publish(personas.staff)
    other = publish(personas.other_staff, title="環保局資料")
    login(client, personas.staff)
    data = form_data(title="臺中市各區人口統計（修正）")
    response = client.post(reverse("opendata:dataset-edit", args=[own.name]), data)
    refused = client.get(reverse("opendata:dataset-edit", args=[other.name]))
    own.refresh_from_db()
    assert response.status_code == 302
    assert own.title == "臺中市各區人口統計（修正）"
    assert refused.status_code == 403


def test_add_a_resource_by_url(client, personas):
    dataset = publish(personas.staff)
    login(client, personas.staff)
    response = client.post(
        reverse("opendata:resource-create", args=[dataset.name]),
        {"description": "人口JSON", "url": "https://example.org/p.json", "encoding": "UTF-8", "format": ""},
    )
    assert response.status_code == 302
    assert dataset.resources.get().format == "JSON"


def test_withdrawn_datasets_are_not_found_by_the_public(client, personas):
    dataset = publish(personas.staff)
    services.delete_dataset(dataset, actor=personas.staff)
    response = client.get(reverse("opendata:dataset-detail", args=[dataset.name]))
    assert response.status_code == 404


def test_editors_rerun_the_quality_check_from_the_dataset_page(client, personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(dataset, actor=personas.staff, description="人口", upload=csv_upload())
    client.force_login(personas.staff)
    response = client.post(reverse("opendata:resource-check", args=[resource.pk]))
    page = client.get(reverse("opendata:dataset-detail", args=[dataset.name]))
    assert response.status_code == 302
    assert 'data-badge="gold"' in page.content.decode()


def test_staff_withdraw_their_dataset_but_others_cannot(client, personas):
    dataset = publish(personas.staff)
    client.force_login(personas.other_staff)
    refused = client.post(reverse("opendata:dataset-delete", args=[dataset.name]))
    client.force_login(personas.staff)
    done = client.post(reverse("opendata:dataset-delete", args=[dataset.name]))
    dataset.refresh_from_db()
    assert refused.status_code == 403
    assert done.status_code == 302
    assert dataset.state == Dataset.State.DELETED


def test_a_new_file_from_the_edit_page_makes_a_new_version(client, personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(dataset, actor=personas.staff, description="人口", upload=csv_upload())
    client.force_login(personas.staff)
    new = csv_upload(CSV + "南屯區,180000\n".encode())
    response = client.post(
        reverse("opendata:resource-edit", args=[resource.pk]),
        {"description": "人口（更新）", "encoding": "UTF-8", "format": "CSV", "file": new},
    )
    resource.refresh_from_db()
    assert response.status_code == 302
    assert resource.description == "人口（更新）"
    assert resource.versions.count() == 2


def test_search_page_queries_do_not_grow_with_results(client, personas, django_assert_max_num_queries):
    for n in range(15):
        publish(personas.staff, title=f"測試資料集{n}")
    with django_assert_max_num_queries(12):
        client.get(reverse("opendata:dataset-list"))


def test_search_page_filters_by_badge_and_frequency(client, personas):
    checked = publish(personas.staff, title="已檢測資料", update_frequency="每年")
    resource = services.add_resource(checked, actor=personas.staff, description="CSV", upload=csv_upload())
    services.check_resource_quality(resource, actor=None)
    publish(personas.staff, title="未檢測資料")
    by_badge = client.get(reverse("opendata:dataset-list"), {"badge": "gold"}).content.decode()
    by_frequency = client.get(reverse("opendata:dataset-list"), {"frequency": "每年"}).content.decode()
    assert "已檢測資料" in by_badge and "未檢測資料" not in by_badge
    assert "已檢測資料" in by_frequency and "未檢測資料" not in by_frequency


def test_dataset_page_previews_the_first_rows_of_a_csv(client, personas):
    dataset = publish(personas.staff)
    services.add_resource(
        dataset,
        actor=personas.staff,
        description="人口",
        upload=csv_upload(CSV.decode().encode("cp950")),
        encoding="BIG5",
    )
    content = client.get(reverse("opendata:dataset-detail", args=[dataset.name])).content.decode()
    assert 'data-testid="preview"' in content
    assert "<td>北屯區</td>" in content


def test_views_and_downloads_are_counted(client, personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(dataset, actor=personas.staff, description="人口", upload=csv_upload())
    client.get(reverse("opendata:dataset-detail", args=[dataset.name]))
    client.get(reverse("opendata:dataset-detail", args=[dataset.name]))
    client.get(reverse("opendata:resource-download", args=[resource.pk]))
    dataset.refresh_from_db()
    resource.refresh_from_db()
    assert dataset.view_count == 2
    assert resource.download_count == 1
