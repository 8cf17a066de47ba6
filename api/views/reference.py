"""Read-only reference data and figures: assets, fault categories, the active
service standards (as the public standards page shows them) and the team
lead's dashboard figures (the dashboard's own selectors and filters)."""
from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from charter.dashboard import selectors as dashboard
from charter.dashboard.forms import filters_parse
from helpdesk.core.input_bounds import MAX_ID
from standards.selectors import current_standard, targets_reachable
from standards.views import score_targets
from tickets.models import Asset, AssetType, FaultCategory
from tickets.permissions import is_staff

from ..pagination import Key, keyset_page
from ..scopes import Scope
from ..serializers.reference_shapes import (
    AssetOut,
    AssetPage,
    CategoryOut,
    CategoryPage,
    DashboardOut,
    StandardOut,
)
from .base import ApiView

BY_TAG = (Key("tag"), Key("id"))
CATEGORY_ORDER = (Key("asset_type"), Key("order"), Key("name"), Key("id"))
PAGE = [OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)]


class AssetQuery(serializers.Serializer):
    owner = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="Staff: one person's equipment.")
    asset_type = serializers.ChoiceField(choices=AssetType.values, required=False)
    tag = serializers.CharField(required=False, max_length=30, help_text="An exact asset tag.")


class AssetsView(ApiView):
    scope = Scope.REFERENCE

    @extend_schema(
        operation_id="assets_list",
        parameters=[AssetQuery, *PAGE],
        responses=AssetPage,
        summary="Equipment",
        description="Your own equipment, as the fault report offers it; staff, who file for any caller at the "
        "desk, see every asset.",
    )
    def get(self, request: Request) -> Response:
        query = AssetQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        qs = Asset.objects.select_related("owner", "department")
        if not is_staff(request.user):
            qs = qs.filter(owner_id=request.user.pk)
        elif "owner" in f:
            qs = qs.filter(owner_id=f["owner"])
        if "asset_type" in f:
            qs = qs.filter(asset_type=f["asset_type"])
        if "tag" in f:
            qs = qs.filter(tag=f["tag"])
        page = keyset_page(request, qs.order_by("tag", "id"), BY_TAG)
        return Response({"next": page.next_url, "results": AssetOut(page.rows, many=True).data})


class CategoryQuery(serializers.Serializer):
    asset_type = serializers.ChoiceField(choices=AssetType.values, required=False)


class FaultCategoriesView(ApiView):
    scope = Scope.REFERENCE

    @extend_schema(
        operation_id="fault_categories_list",
        parameters=[CategoryQuery, *PAGE],
        responses=CategoryPage,
        summary="Fault categories",
        description="The active categories, each for one type of equipment (MT3).",
    )
    def get(self, request: Request) -> Response:
        query = CategoryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = FaultCategory.objects.filter(active=True)
        if "asset_type" in query.validated_data:
            qs = qs.filter(asset_type=query.validated_data["asset_type"])
        page = keyset_page(request, qs.order_by("asset_type", "order", "name", "id"), CATEGORY_ORDER)
        return Response({"next": page.next_url, "results": CategoryOut(page.rows, many=True).data})


class StandardsView(ApiView):
    scope = Scope.REFERENCE

    @extend_schema(operation_id="standards_current", responses=StandardOut, summary="The service standards in force (P5)")
    def get(self, request: Request) -> Response:
        standard = current_standard()
        if standard is None:
            raise Http404
        data: dict[str, Any] = {
            **{name: getattr(standard, name) for name in StandardOut().fields if hasattr(standard, name)},
            "targets": [
                {
                    "kind": t.kind,
                    "priority": t.priority,
                    "category": t.category.code if t.category_id else None,
                    "respond_hours": t.respond_hours,
                    "resolve_hours": t.resolve_hours,
                }
                for t in targets_reachable(standard)
            ],
            "levels": sorted(
                ({"level": lv.level, "trigger": lv.trigger, "value": lv.value} for lv in standard.levels.all()),
                key=lambda lv: lv["level"],
            ),
            "score_targets": [{"label": label, "value": float(value)} for label, value in score_targets(standard)],
        }
        return Response(StandardOut(data).data)


class DashboardQuery(serializers.Serializer):
    team = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    period = serializers.ChoiceField(choices=list(dashboard.PERIODS), required=False)


class DashboardView(ApiView):
    scope = Scope.DASHBOARD
    permissions_by_method = {"GET": "tickets.lead_team"}

    @extend_schema(
        operation_id="dashboard_figures",
        parameters=[DashboardQuery],
        responses=DashboardOut,
        summary="The team lead's dashboard figures",
        description="Team leads and section chiefs: the figures of their teams (of one with `team`), and the "
        "trend over `period` days (7, 30, 90). A team not yours falls back to all yours, with a notice.",
    )
    def get(self, request: Request) -> Response:
        teams = dashboard.dashboard_teams(request.user)
        filters, _form, notices = filters_parse(request.query_params, teams)
        team_ids = dashboard.team_ids_for(teams, filters)
        m = dashboard.moments_at()
        snapshots, as_of = dashboard.snapshots_for(team_ids, m)
        figures = dashboard.figures_for(team_ids, m, snapshots)
        trend = dashboard.trend_for(team_ids, filters.period, m, snapshots)
        data = {
            "teams": [{"id": t.pk, "name": t.name} for t in teams],
            "team": filters.team,
            "period": filters.period,
            "notices": notices,
            "updated_at": as_of,
            "figures": {
                **{name: getattr(figures, name) for name in (
                    "open", "overdue", "due_soon", "warnings", "vip", "unassigned", "escalated", "repeat_at_risk",
                    "repeat_escalated", "callbacks_overdue", "late_visits", "plans_waiting", "reports_due",
                )},
                "levels": [{"level": level, "count": n} for level, n in figures.levels],
                "engineers": figures.engineers,
            },
            "trend": {"days": trend.days, "opened": trend.opened, "closed": trend.closed, "breached": trend.breached},
        }
        return Response(DashboardOut(data).data)
