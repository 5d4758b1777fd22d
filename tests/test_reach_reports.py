"""'Did you reach a person?' under each channel: one answer per reader per channel per day,
rate-limited, with and without JavaScript; what readers say shows from 3 answers in 30 days,
and editors see the channels most readers could not get through."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from guides_site.contacts.models import ContactChannel, ReachReport
from guides_site.contacts.reach import unreachable_channels_panel

from .factories import COMPANY_MD, GUIDE_MD, write_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(tmp_path):
    write_tree(tmp_path, {"acme/company.md": COMPANY_MD, "acme/refund.md": GUIDE_MD})
    call_command("import_content", str(tmp_path), stdout=StringIO())
    return ContactChannel.objects.get(kind="phone")


def url(channel):
    return f"/acme/contacts/{channel.pk}/reached/"


def add_reports(channel, answers, *, days_ago=0):
    when = timezone.now() - timedelta(days=days_ago)
    for number, (reached, minutes) in enumerate(answers):
        report = ReachReport.objects.create(
            channel=channel,
            visitor=f"reader-{days_ago}-{number}",
            day=when.date(),
            reached=reached,
            minutes_waited=minutes,
        )
        ReachReport.objects.filter(pk=report.pk).update(changed=when)


def test_the_company_page_asks_under_each_channel_with_a_real_form(client, channel):
    html = client.get("/acme/").content.decode()

    assert f'action="{url(channel)}" hx-post="{url(channel)}"' in html
    assert "Did you reach a person?" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'href="{url(channel)}"' in html  # what readers say, without JavaScript too


def test_an_answer_without_javascript_is_stored_and_thanked_on_the_channels_page(client, channel):
    response = client.post(url(channel), {"reached": "yes", "minutes": "12"})

    assert response.status_code == 302 and response["Location"] == url(channel)
    report = ReachReport.objects.get()
    assert (report.channel, report.reached, report.minutes_waited) == (channel, True, 12)
    assert report.day == timezone.now().date()
    page = client.get(url(channel)).content.decode()
    assert "Thank you: your answer helps other readers." in page


def test_a_reader_who_answers_again_the_same_day_changes_their_answer(client, channel):
    client.post(url(channel), {"reached": "yes", "minutes": "12"})
    client.post(url(channel), {"reached": "no"})

    report = ReachReport.objects.get()
    assert (report.reached, report.minutes_waited) == (False, None)


def test_with_htmx_the_answer_swaps_in_a_thank_you(client, channel):
    response = client.post(url(channel), {"reached": "no"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<div class="reach" id="reach-{channel.pk}">')
    assert "Thank you: your answer helps other readers." in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Please choose Yes or No."),
        ({"reached": "maybe"}, "Select a valid choice."),
        ({"reached": "yes", "minutes": "-3"}, "greater than or equal to 0"),
        ({"reached": "yes", "minutes": "soon"}, "Enter a whole number."),
    ],
)
def test_an_invalid_answer_is_refused_beside_the_form_and_nothing_is_stored(
    client, channel, data, error
):
    response = client.post(url(channel), data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ReachReport.objects.exists()


def test_answers_beyond_the_limit_are_refused_with_a_429_and_the_time_to_wait(
    client, channel, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reach": (2, 600)}
    other = ContactChannel.objects.get(kind="email")
    client.post(url(channel), {"reached": "yes"})
    client.post(url(other), {"reached": "yes"})
    response = client.post(url(channel), {"reached": "no"}, headers={"HX-Request": "true"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Please wait" in response.content.decode()
    assert ReachReport.objects.count() == 2
    assert ReachReport.objects.get(channel=channel).reached is True


def test_what_readers_say_shows_from_three_answers_in_thirty_days(client, channel):
    add_reports(channel, [(True, 10), (False, None)], days_ago=2)
    assert "A reader got through" not in client.get(url(channel)).content.decode()

    add_reports(channel, [(True, 14), (True, None)], days_ago=5)
    add_reports(channel, [(True, 1)], days_ago=40)  # too old to count

    html = client.get(url(channel), headers={"HX-Request": "true"}).content.decode()
    assert "A reader got through 2 days ago · typical wait 12 min" in html


def test_the_cached_company_page_holds_no_answer_counts(client, channel):
    add_reports(channel, [(True, 10), (True, 20), (True, 30)])

    assert "got through" not in client.get("/acme/").content.decode()


def test_editors_see_the_channels_most_readers_could_not_get_through_lately(editor, channel):
    email = ContactChannel.objects.get(kind="email")
    add_reports(channel, [(False, None), (False, None), (True, 5)])
    add_reports(email, [(True, None), (True, None), (False, None)])
    request = RequestFactory().get("/admin/")
    request.user = editor.user

    panel = unreachable_channels_panel(request)

    assert panel.count == 1
    assert panel.rows[0].text == "Acme: Support"
    assert panel.rows[0].detail == "2 of 3 readers could not get through"
    assert panel.rows[0].url == f"/admin/guides/company/{channel.company_id}/change/"
    assert editor.get(panel.url).status_code == 200


def test_the_panel_is_not_offered_to_staff_without_the_permission(channel, django_user_model):
    add_reports(channel, [(False, None)] * 3)
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_user("sam", is_staff=True)

    assert unreachable_channels_panel(request) is None
