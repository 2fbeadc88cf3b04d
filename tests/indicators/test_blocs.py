"""The ministries' and the provinces' blocs: a document's figure, else the members'."""

import datetime
from decimal import Decimal

import pytest

from giamsat.indicators.blocs import DOCUMENT, MEMBERS, bloc_figure, bloc_figures
from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource
from giamsat.orgs.models import Organisation
from giamsat.reports.builders import bloc_sentence

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def rate(db):
    sync_indicators()
    return Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")


def observe(rate, slug, period, value, numerator=None, denominator=None):
    Observation.objects.create(indicator=rate, organisation=Organisation.objects.get(slug=slug),
                               period=period, value=Decimal(value), numerator=numerator,
                               denominator=denominator, source="report")


def test_members_give_numerators_over_denominators_not_an_average(rate):
    ministries = Organisation.objects.get(slug="khoi-bo-nganh")
    observe(rate, "bo-tu-phap", D(2025, 9, 1), "90", 900, 1000)
    observe(rate, "bo-cong-an", D(2025, 9, 1), "10", 1, 10)
    figure = bloc_figure(rate, ministries, D(2025, 9, 1))
    assert figure.source == MEMBERS and figure.reported == 2
    assert figure.value == Decimal("89.2079")  # 901/1010, not (90 + 10) / 2
    # A rate without its counts cannot be added in: it is set apart.
    observe(rate, "bo-y-te", D(2025, 9, 1), "50")
    again = bloc_figure(rate, ministries, D(2025, 9, 1))
    assert again.value == Decimal("89.2079") and [o.slug for o in again.computed
                                                  .without_counts] == ["bo-y-te"]


def test_the_documents_figure_wins_and_the_target_is_the_blocs(rate):
    provinces = Organisation.objects.get(slug="khoi-dia-phuong")
    observe(rate, "ha-noi", D(2025, 9, 1), "20", 20, 100)
    observe(rate, "khoi-dia-phuong", D(2025, 9, 1), "14.58")
    Target.objects.create(indicator=rate, organisation=provinces, period_end=D(2025, 12, 31),
                          minimum=Decimal(70), source=TargetSource.DIRECTIVE)
    figure = bloc_figure(rate, provinces, D(2025, 9, 1))
    assert figure.source == DOCUMENT and figure.value == Decimal("14.58")
    assert figure.computed.value == Decimal("20.0000") and figure.goal == Decimal(70)
    sentence = bloc_sentence(rate, D(2025, 9, 1))
    assert sentence == " Trong đó, khối địa phương đạt 14,58% (mục tiêu 70%)."


def test_members_follow_the_merger_of_provinces(rate):
    provinces = Organisation.objects.get(slug="khoi-dia-phuong")
    observe(rate, "ha-nam-truoc-2025-07", D(2025, 6, 1), "40", 40, 100)
    observe(rate, "ninh-binh", D(2025, 7, 1), "30", 60, 200)
    june = bloc_figure(rate, provinces, D(2025, 6, 1))
    july = bloc_figure(rate, provinces, D(2025, 7, 1))
    assert (june.members, july.members) == (63, 34)
    assert (june.value, july.value) == (Decimal("40.0000"), Decimal("30.0000"))
    assert "tháng 6: 40%" in bloc_sentence(rate, D(2025, 7, 1))
    assert {f.bloc.slug for f in bloc_figures(rate, D(2025, 7, 1))} == {
        "khoi-bo-nganh", "khoi-dia-phuong"}
