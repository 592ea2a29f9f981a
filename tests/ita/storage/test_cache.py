"""The Redis cache stores JSON and never unpickles what it reads (ita.storage.cache.JSONSerializer)."""

import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.test import SimpleTestCase

from ita.storage.cache import JSONSerializer

ROOT = Path(__file__).resolve().parents[3]
RAN = []


class Exploit:
    """What an attacker with write access to Redis would store for a pickling cache to run."""

    def __reduce__(self):
        return (RAN.append, ("code ran",))


class JSONSerializerTests(SimpleTestCase):
    def setUp(self):
        self.serializer = JSONSerializer()

    def round_trip(self, value):
        return self.serializer.loads(self.serializer.dumps(value))

    def test_plain_values_come_back_equal(self):
        for value in ("ข้อความ", "", 1.5, True, False, None, [1, "a"], {"a": [1, {"b": None}]}, -3):
            with self.subTest(value=value):
                self.assertEqual(self.round_trip(value), value)
                self.assertIs(type(self.round_trip(value)), type(value))

    def test_integers_are_redis_integers_so_incr_works(self):
        self.assertEqual(self.serializer.dumps(7), 7)
        self.assertEqual(self.serializer.loads(b"8"), 8)  # what Redis returns after INCR
        self.assertEqual(self.serializer.loads(8), 8)

    def test_a_tuple_comes_back_as_a_list(self):
        # ita.importers.jobs stores (rows done, total) and unpacks it again.
        done, total = self.round_trip((7000, 10000))
        self.assertEqual((done, total), (7000, 10000))

    def test_values_json_cannot_hold_are_refused_when_stored(self):
        for value in (Decimal("1.5"), {1, 2}, object(), float("nan")):
            with self.subTest(value=value), self.assertRaises((TypeError, ValueError)):
                self.serializer.dumps(value)

    def test_a_pickle_read_from_redis_is_never_run(self):
        payload = pickle.dumps(Exploit())
        with self.assertRaises(ValueError):
            self.serializer.loads(payload)
        self.assertEqual(RAN, [])

    def test_the_redis_cache_of_the_settings_uses_it(self):
        probe = (
            "import django; django.setup(); from django.core.cache import cache;"
            "print(type(cache._cache._serializer).__module__, type(cache._cache._serializer).__name__)"
        )
        env = {**os.environ, "REDIS_URL": "redis://:secret@127.0.0.1:9/1", "DJANGO_SETTINGS_MODULE": "ita.settings"}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(  # noqa: S603 - our own interpreter; nothing connects to the URL
            [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertEqual(result.stdout.split(), ["ita.storage.cache", "JSONSerializer"])
