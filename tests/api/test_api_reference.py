"""Reference data and figures on the API: equipment as the fault report
offers it (one's own; staff every asset), the active fault categories, the
service standards in force, and the lead's dashboard figures of their teams."""
from __future__ import annotations

from django.urls import reverse

from tests import factories as f


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_customers_see_their_own_equipment_staff_see_all(org, api_for):
    theirs = f.AssetFactory(owner=org.other_customer, tag="NB-000002", asset_type="laptop")
    assert [a["tag"] for a in results(api_for(org.customer).get(reverse("api:assets")))] == ["PC-000001"]
    staff = api_for(org.engineer)
    assert {a["tag"] for a in results(staff.get(reverse("api:assets")))} == {"PC-000001", "NB-000002"}
    assert [a["id"] for a in results(staff.get(reverse("api:assets"), {"owner": str(org.other_customer.pk)}))] == [theirs.pk]
    assert [a["id"] for a in results(staff.get(reverse("api:assets"), {"asset_type": "laptop"}))] == [theirs.pk]
    # The owner filter cannot widen a customer's view.
    assert [a["tag"] for a in results(api_for(org.customer).get(reverse("api:assets"), {"owner": str(org.other_customer.pk)}))] == ["PC-000001"]


def test_only_active_categories_by_equipment(org, api_for):
    f.FaultCategoryFactory(name="꺼진 분류", code="retired", active=False)
    printer = f.FaultCategoryFactory(name="급지 불량", code="api-feed", asset_type="printer")
    codes = {c["code"] for c in results(api_for(org.customer).get(reverse("api:fault_categories"), {"page_size": "100"}))}
    assert {"pc-power", "api-feed"} <= codes and "retired" not in codes
    only = results(api_for(org.customer).get(reverse("api:fault_categories"), {"asset_type": "printer", "page_size": "100"}))
    assert printer.pk in [c["id"] for c in only] and {c["asset_type"] for c in only} == {"printer"}


def test_the_standards_in_force_as_the_public_page_shows_them(org, standard, api_for):
    body = api_for(org.customer).get(reverse("api:standards")).json()
    assert body["number"] == standard.number and body["day_start"] == "09:00"
    assert any(t["kind"] == "fault" and t["resolve_hours"] > 0 for t in body["targets"])
    assert [lv["level"] for lv in body["levels"]] == sorted(lv["level"] for lv in body["levels"])


def test_the_dashboard_for_a_lead_of_their_teams(org, api_for):
    f.TicketFactory(reporter=org.customer, team=org.team)
    f.TicketFactory(reporter=org.customer, team=org.other_team)
    body = api_for(org.lead).get(reverse("api:dashboard")).json()
    assert [t["id"] for t in body["teams"]] == [org.team.pk]
    assert body["figures"]["open"] == 1 and body["period"] == 30 and len(body["trend"]["days"]) == 30
    notice = api_for(org.lead, language="en").get(reverse("api:dashboard"), {"team": str(org.other_team.pk), "period": "12"}).json()
    assert notice["team"] is None and notice["period"] == 30 and len(notice["notices"]) == 2
    assert api_for(org.engineer).get(reverse("api:dashboard")).status_code == 403
