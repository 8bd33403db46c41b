"""Equipment photos: upload by the hub's operators, checks by content, served by a view."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyoten.core.errors import DomainError, Forbidden
from kyoten.equipment import photos, services
from kyoten.equipment.models import EquipmentPhoto

pytestmark = pytest.mark.django_db


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = _png_1x1()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_sniff_tells_the_type_by_the_first_bytes():
    assert photos.sniff(PNG[:12]) == "image/png"
    assert photos.sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01") == "image/jpeg"
    assert photos.sniff(b"RIFF\x24\x00\x00\x00WEBP") == "image/webp"
    assert photos.sniff(b"RIFF\x24\x00\x00\x00WAVE") is None
    assert photos.sniff(PDF[:12]) is None
    assert photos.sniff(b"GIF89a\x01\x00\x01\x00\x00\x00") is None
    assert photos.sniff(b"") is None


def test_operator_uploads_a_photo_shown_with_its_alt_text(client, media, operator, xrd):
    client.force_login(operator)
    response = client.post(
        f"/equipment/{xrd.pk}/photos/",
        {"image": upload("smartlab.png", PNG, "image/png"), "caption": "SmartLab の正面"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/equipment/{xrd.pk}/"
    photo = EquipmentPhoto.objects.get()
    assert (photo.equipment_id, photo.caption) == (xrd.pk, "SmartLab の正面")
    assert photo.image.name.startswith("equipment/photos/") and photo.image.name.endswith(".png")
    assert (media / photo.image.name).read_bytes() == PNG
    client.logout()
    page = client.get(f"/equipment/{xrd.pk}/").content.decode()
    assert f'<img src="/equipment/{xrd.pk}/photos/{photo.pk}/" alt="SmartLab の正面"' in page
    assert f"/equipment/{xrd.pk}/photos/{photo.pk}/remove/" not in page  # not for visitors
    assert 'enctype="multipart/form-data"' not in page


def test_a_pdf_renamed_jpg_is_refused_naming_the_field(client, media, operator, xrd):
    with pytest.raises(DomainError) as refused:
        services.equipment_photo_add(equipment=xrd, by=operator, caption="装置外観",
                                     upload=upload("photo.jpg", PDF))  # fmt: skip
    assert (refused.value.field, refused.value.status) == ("image", 400)
    assert refused.value.message == "JPEG、PNG、WebP 形式の画像のみ登録できます"
    client.force_login(operator)
    page = client.post(f"/equipment/{xrd.pk}/photos/",
                       {"image": upload("photo.jpg", PDF), "caption": "装置外観"})  # fmt: skip
    assert page.status_code == 400
    form = page.context["photo_form"]
    assert form.errors == {"image": ["JPEG、PNG、WebP 形式の画像のみ登録できます"]}
    assert "JPEG、PNG、WebP 形式の画像のみ登録できます" in page.content.decode()
    assert EquipmentPhoto.objects.count() == 0 and stored_files(media) == []


def test_a_real_image_under_a_foreign_name_is_refused(media, operator, xrd):
    with pytest.raises(DomainError) as refused:
        services.equipment_photo_add(equipment=xrd, by=operator, caption="装置外観",
                                     upload=upload("photo.gif", PNG, "image/gif"))  # fmt: skip
    assert refused.value.field == "image"
    assert stored_files(media) == []


def test_too_big_a_photo_is_refused(media, operator, xrd):
    big = b"\xff\xd8\xff\xe0" + b"\x00" * photos.MAX_PHOTO_BYTES
    with pytest.raises(DomainError) as refused:
        services.equipment_photo_add(equipment=xrd, by=operator, caption="装置外観",
                                     upload=upload("big.jpg", big))  # fmt: skip
    assert (refused.value.field, refused.value.message) == (
        "image",
        "写真が5 MBを超えています",
    )
    assert EquipmentPhoto.objects.count() == 0 and stored_files(media) == []


def test_a_photo_needs_its_alt_text(media, operator, xrd):
    with pytest.raises(DomainError) as refused:
        services.equipment_photo_add(equipment=xrd, by=operator, caption="  ",
                                     upload=upload("a.png", PNG, "image/png"))  # fmt: skip
    assert refused.value.field == "caption"
    assert stored_files(media) == []


def test_at_most_max_photos_per_machine(media, operator, xrd, settings):
    for i in range(photos.MAX_PHOTOS):
        services.equipment_photo_add(equipment=xrd, by=operator, caption=f"写真{i}",
                                     upload=upload(f"{i}.png", PNG, "image/png"))  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.equipment_photo_add(equipment=xrd, by=operator, caption="もう一枚",
                                     upload=upload("x.png", PNG, "image/png"))  # fmt: skip
    assert refused.value.field == "image"
    assert len(stored_files(media)) == photos.MAX_PHOTOS


def test_a_non_operator_gets_403(client, media, certified, make_user, xrd):
    client.force_login(certified)
    response = client.post(f"/equipment/{xrd.pk}/photos/",
                           {"image": upload("a.png", PNG, "image/png"), "caption": "外観"})  # fmt: skip
    assert response.status_code == 403
    assert "enctype" not in client.get(f"/equipment/{xrd.pk}/").content.decode()
    with pytest.raises(Forbidden):
        services.equipment_photo_add(equipment=xrd, by=certified, caption="外観",
                                     upload=upload("a.png", PNG, "image/png"))  # fmt: skip
    other_operator = make_user("operator", username="other_hub_op")  # operates no hub of xrd
    client.force_login(other_operator)
    response = client.post(f"/equipment/{xrd.pk}/photos/",
                           {"image": upload("a.png", PNG, "image/png"), "caption": "外観"})  # fmt: skip
    assert response.status_code == 403
    client.logout()
    anonymous = client.post(f"/equipment/{xrd.pk}/photos/",
                            {"image": upload("a.png", PNG, "image/png"), "caption": "外観"})  # fmt: skip
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert EquipmentPhoto.objects.count() == 0 and stored_files(media) == []


def test_the_serve_view_returns_the_bytes(client, media, operator, xrd):
    photo = services.equipment_photo_add(equipment=xrd, by=operator, caption="外観",
                                         upload=upload("a.png", PNG, "image/png"))  # fmt: skip
    response = client.get(f"/equipment/{xrd.pk}/photos/{photo.pk}/")  # anonymous: public machine
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="photo-{photo.pk}.png"'
    assert client.get(f"/equipment/{xrd.pk + 1}/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/equipment/{xrd.pk}/photos/{photo.pk + 1}/").status_code == 404


def test_photos_of_a_retired_machine_are_hidden_from_the_public(client, media, operator, xrd):
    photo = services.equipment_photo_add(equipment=xrd, by=operator, caption="外観",
                                         upload=upload("a.png", PNG, "image/png"))  # fmt: skip
    services.equipment_set_status(equipment=xrd, status="retired", by=operator)
    assert client.get(f"/equipment/{xrd.pk}/photos/{photo.pk}/").status_code == 404
    client.force_login(operator)
    seen = client.get(f"/equipment/{xrd.pk}/photos/{photo.pk}/")
    assert (seen.status_code, b"".join(seen.streaming_content)) == (200, PNG)


def test_a_stored_file_that_is_not_an_image_is_not_served(client, media, xrd):
    (media / "equipment" / "photos").mkdir(parents=True)
    (media / "equipment" / "photos" / "evil.png").write_bytes(b"<html><script>x</script>")
    photo = EquipmentPhoto.objects.create(equipment=xrd, image="equipment/photos/evil.png")
    assert client.get(f"/equipment/{xrd.pk}/photos/{photo.pk}/").status_code == 404


def test_operator_removes_a_photo_and_its_file(
    client, media, operator, certified, xrd, django_capture_on_commit_callbacks
):
    photo = services.equipment_photo_add(equipment=xrd, by=operator, caption="外観",
                                         upload=upload("a.png", PNG, "image/png"))  # fmt: skip
    url = f"/equipment/{xrd.pk}/photos/{photo.pk}/remove/"
    client.force_login(certified)
    assert client.post(url).status_code == 403
    assert EquipmentPhoto.objects.count() == 1
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert EquipmentPhoto.objects.count() == 0 and stored_files(media) == []
    assert client.post(url).status_code == 404
