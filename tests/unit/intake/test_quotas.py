"""The partner quota's rule (a token bucket kept as GCRA's theoretical arrival time), as
the kit's buckets apply it (`kit.buckets.late`) at each partner's interval and tolerance."""

import json
import random

import pytest
from pydantic import ValidationError

from entraide.intake.domain.partners import Partner, Quota
from entraide.intake.settings import IntakeSettings
from entraide.kit.buckets import late


class Bucket:
    """The rule alone, as the store applies it: one `tat`, admitted or told how long to wait."""

    def __init__(self, quota: Quota) -> None:
        self.quota, self.tat = quota, 0.0

    def take(self, now: float) -> float | None:
        wait = late(self.tat, now, self.quota.tolerance_s)
        if wait is None:
            self.tat = max(self.tat, now) + self.quota.interval_s
        return wait


def test_a_partner_gets_its_burst_at_once_then_one_request_per_interval() -> None:
    bucket = Bucket(Quota(per_minute=60, burst=5))
    assert [bucket.take(1000.0) for _ in range(5)] == [None] * 5
    wait = bucket.take(1000.0)
    assert wait == pytest.approx(1.0)  # one token a second
    assert bucket.take(1000.0 + 0.99) is not None
    assert bucket.take(1000.0 + 1.0) is None
    assert bucket.take(1000.0 + 1.0) is not None


def test_a_partner_sending_steadily_at_its_quota_is_never_refused_despite_jitter() -> None:
    quota = Quota(per_minute=600, burst=10)
    bucket, jitter = Bucket(quota), random.Random(15)
    sent = [i * quota.interval_s + jitter.uniform(-0.05, 0.05) for i in range(6000)]
    refused = [t for t in sorted(sent) if bucket.take(1000.0 + t) is not None]
    assert refused == []


def test_a_flooding_partner_gets_its_quota_and_no_more() -> None:
    bucket = Bucket(Quota(per_minute=600, burst=100))
    admitted = sum(bucket.take(1000.0 + i / 1000) is None for i in range(60_000))  # 1,000/s
    assert admitted == 100 + 600 - 1  # the burst, then 10 a second for the minute's rest


def test_a_partner_idle_for_long_gets_a_full_burst_and_not_more() -> None:
    bucket = Bucket(Quota(per_minute=60, burst=3))
    bucket.take(0.0)
    answers = [bucket.take(3600.0) for _ in range(4)]
    assert [a is None for a in answers] == [True, True, True, False]


def test_the_defaults_let_a_morning_batch_through_well_above_the_old_limit() -> None:
    partner = Partner.model_validate({"secret": "s", "source": "urn:entraide:partner:caf-44"})
    assert (partner.quota.per_minute, partner.quota.burst) == (600, 100)


def test_a_quota_is_read_per_partner_from_the_environment(monkeypatch) -> None:
    partners = {
        "caf-44": {"secret": "a", "source": "urn:a", "quota": {"per_minute": 1200, "burst": 300}},
        "cd-35": {"secret": "b", "source": "urn:b"},
    }
    monkeypatch.setenv("ENTRAIDE_PARTNERS", json.dumps(partners))
    settings = IntakeSettings()
    assert settings.partners["caf-44"].quota == Quota(per_minute=1200, burst=300)
    assert settings.partners["cd-35"].quota == Quota()


@pytest.mark.parametrize("wrong", [{"per_minute": 0}, {"burst": 0}, {"per_minute": "lots"}])
def test_a_quota_that_admits_nothing_is_refused_at_start(wrong: dict) -> None:
    with pytest.raises(ValidationError):
        Quota.model_validate(wrong)
