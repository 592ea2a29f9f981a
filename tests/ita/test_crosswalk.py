"""The one crosswalk walk (the pure grouping, the ItemCrosswalk QuerySet) and the crosswalk file's OIT pairs."""

from unittest import TestCase as PlainTestCase

from django.core.management import call_command
from django.test import TestCase

from ita.frameworks.files import CROSSWALK_NAME, fixture_dir, framework_files, read_records
from ita.models import Framework, Item, ItemCrosswalk
from ita.models.frameworks import CrosswalkLinks, crosswalk_groups
from ita.oit.checklist import carry_forward, checklist_for, oit_items, save_entries, stored_values
from tests.factory import make_framework, make_organization, make_user


class CrosswalkGroupsTests(PlainTestCase):
    def test_linked_nodes_share_the_smallest_id_whatever_the_edge_order(self):
        edges = [(7, 3), (3, 9), (12, 9)]
        self.assertEqual(crosswalk_groups([], edges), {7: 3, 3: 3, 9: 3, 12: 3})
        self.assertEqual(crosswalk_groups([], list(reversed(edges))), {7: 3, 3: 3, 9: 3, 12: 3})

    def test_a_node_without_an_edge_is_its_own_group(self):
        self.assertEqual(crosswalk_groups([1, 5, 2], [(2, 4)]), {1: 1, 5: 5, 2: 2, 4: 2})

    def test_linked_gives_the_other_members_of_each_group(self):
        links = CrosswalkLinks(edges=((1, 2), (2, 3), (4, 5)), years={1: 2564, 2: 2565, 3: 2566, 4: 2564, 5: 2565})
        self.assertEqual(links.linked([1, 3, 5, 8]), {1: {2, 3}, 3: {1, 2}, 5: {4}, 8: set()})


class ItemCrosswalkQuerySetTests(TestCase):
    """2564 i1 → 2565 i2 → 2566 i1 (a renumbered question over three years); e1 and e2 of 2565 merge."""

    @classmethod
    def setUpTestData(cls):
        small = {"iit_per_indicator": 1, "eit_per_indicator": 1, "oit_items": 2}
        cls.fw = {year: make_framework(year, **small) for year in (2564, 2565, 2566)}
        cls.link(2564, "i1", 2565, "i2")
        cls.link(2565, "i2", 2566, "i1")
        cls.link(2565, "e1", 2566, "e2")
        cls.link(2565, "e2", 2566, "e2")
        cls.link(2565, "e2", 2566, "e3")

    @classmethod
    def link(cls, from_year: int, from_code: str, to_year: int, to_code: str) -> None:
        ItemCrosswalk.objects.create(from_item=cls.item(from_year, from_code), to_item=cls.item(to_year, to_code))

    @classmethod
    def item(cls, year: int, code: str) -> Item:
        return Item.objects.get(framework=cls.fw[year], code=code)

    def pk(self, year: int, code: str) -> int:
        return self.item(year, code).pk

    def test_links_reads_edges_and_years_in_one_query(self):
        with self.assertNumQueries(1):
            links = ItemCrosswalk.objects.links()
        self.assertIn((self.pk(2564, "i1"), self.pk(2565, "i2")), links.edges)
        self.assertEqual(len(links.edges), 5)
        self.assertEqual(links.years[self.pk(2564, "i1")], 2564)
        self.assertEqual(links.years[self.pk(2566, "e3")], 2566)

    def test_linked_walks_three_years_in_both_directions(self):
        first, middle, last = self.pk(2564, "i1"), self.pk(2565, "i2"), self.pk(2566, "i1")
        unlinked = self.pk(2564, "e1")
        with self.assertNumQueries(1):
            found = ItemCrosswalk.objects.linked([first, middle, last, unlinked])
        self.assertEqual(found, {first: {middle, last}, middle: {first, last}, last: {first, middle}, unlinked: set()})

    def test_linked_follows_a_merge_back_out_to_a_split(self):
        found = ItemCrosswalk.objects.linked([self.pk(2565, "e1")])
        self.assertEqual(found[self.pk(2565, "e1")], {self.pk(2566, "e2"), self.pk(2565, "e2"), self.pk(2566, "e3")})

    def test_within_keeps_one_source_and_the_year_range(self):
        indicator = self.fw[2566].indicators.get(number=1)
        frameworks = [Framework.objects.create(fiscal_year=year, source="other") for year in (2565, 2566)]
        other = [Item.objects.create(framework=fw, code="i1", indicator=indicator) for fw in frameworks]
        ItemCrosswalk.objects.create(from_item=other[0], to_item=other[1])
        edges = ItemCrosswalk.objects.within(Framework.Source.NACC_ITAS, 2565, 2566).links().edges
        self.assertEqual(len(edges), 4)
        self.assertNotIn((self.pk(2564, "i1"), self.pk(2565, "i2")), edges)
        self.assertEqual(len(ItemCrosswalk.objects.within(Framework.Source.NACC_ITAS, 2564, 2566).links().edges), 5)
        self.assertEqual(ItemCrosswalk.objects.within("other", 2564, 2566).links().edges, ((other[0].pk, other[1].pk),))
        self.assertEqual(ItemCrosswalk.objects.within("other", 2566, 2566).links().edges, ())

    def test_next_codes_takes_direct_links_in_framework_order(self):
        Item.objects.filter(pk=self.pk(2566, "e3")).update(order=0)
        e1, e2, unlinked = self.pk(2565, "e1"), self.pk(2565, "e2"), self.pk(2565, "o1")
        with self.assertNumQueries(1):
            found = ItemCrosswalk.objects.next_codes([e1, e2, unlinked], self.fw[2566])
        # e1 reaches 2566 e3 only through 2565 e2: a detour is no link.
        self.assertEqual(found, {e1: ["e2"], e2: ["e3", "e2"]})
        self.assertEqual(ItemCrosswalk.objects.next_codes([self.pk(2564, "i1")], self.fw[2566]), {})

    def test_next_codes_of_no_items_asks_nothing(self):
        with self.assertNumQueries(0):
            self.assertEqual(ItemCrosswalk.objects.next_codes([], self.fw[2566]), {})

    def test_natural_keys_still_resolve(self):
        row = ItemCrosswalk.objects.get_by_natural_key(2564, "nacc_itas", "i1", 2565, "nacc_itas", "i2")
        self.assertEqual(row.natural_key(), (2564, "nacc_itas", "i1", 2565, "nacc_itas", "i2"))


# 2568 → 2569 OIT pairs read from the two years' titles in FRAMEWORK.md §7 (and the measures items).
OIT_2568_TO_2569 = {
    "o1": "o1", "o3": "o3", "o4": "o4", "o8": "o8", "o9": "o9", "o10": "o10", "o12": "o11", "o13": "o12",
    "o14": "o13", "o15": "o14", "o16": "o15", "o17": "o16", "o18": "o17", "o19": "o18", "o20": "o19",
    "o21": "o20", "o23": "o21", "o24": "o22", "o25": "o23", "o26": "o24", "o27": "o25", "o28": "o26",
}  # fmt: skip
# No 2569 counterpart: O2, O5–O7 have no title in either year, O11 (service statistics) and O22 (gift
# receipt report) have none in 2569's list.
UNLINKED_2568 = ["O2", "O5", "O6", "O7", "O11", "O22"]


class CrosswalkFileTests(TestCase):
    """fixtures/frameworks/crosswalk.json on top of every framework file, as seed_demo loads them."""

    @classmethod
    def setUpTestData(cls):
        paths = [*framework_files(), fixture_dir() / CROSSWALK_NAME]
        call_command("loaddata", *[str(path) for path in paths], verbosity=0)
        cls.alpha = make_organization(code="ALPHA")
        cls.alice = make_user("alice", organization=cls.alpha)

    def oit_pairs(self, year: int) -> dict[str, list[str]]:
        rows = ItemCrosswalk.objects.filter(
            from_item__framework__fiscal_year=year, from_item__indicator__tool="OIT"
        ).order_by("to_item__order")
        pairs: dict[str, list[str]] = {}
        for from_code, to_code in rows.values_list("from_item__code", "to_item__code"):
            pairs.setdefault(from_code, []).append(to_code)
        return pairs

    def test_every_row_of_the_file_loads(self):
        self.assertEqual(ItemCrosswalk.objects.count(), len(read_records(fixture_dir() / CROSSWALK_NAME)))

    def test_2568_oit_items_pair_with_2569_as_their_titles_say(self):
        self.assertEqual(self.oit_pairs(2568), {code: [to] for code, to in OIT_2568_TO_2569.items()})
        unlinked = Item.objects.filter(framework__fiscal_year=2568, indicator__tool="OIT", crosswalk_next=None)
        self.assertEqual(
            sorted(code.upper() for code in unlinked.values_list("code", flat=True)), sorted(UNLINKED_2568)
        )

    def test_2567_oit_items_pair_where_their_titles_say_the_same(self):
        ethics = ["o16"]  # three ethics items of 2567 become the one of 2568
        expected = {"o13": ["o8"], "o14": ["o9"], "o27": ["o17"], "o28": ["o18"], "o34": ["o23"], "o35": ["o24"],
                    "o39": ethics, "o40": ethics, "o41": ethics, "o42": ["o27"], "o43": ["o28"]}  # fmt: skip
        self.assertEqual(self.oit_pairs(2567), expected)

    def test_the_new_oit_pairs_cite_framework_md_and_stay_unverified(self):
        new = {(2568, code) for code in OIT_2568_TO_2569 if code not in ("o27", "o28")}
        new |= {(2567, code) for code in ("o27", "o28", "o34", "o35", "o39", "o40", "o41")}
        rows = ItemCrosswalk.objects.select_related("from_item__framework", "to_item")
        rows = [row for row in rows if (row.from_item.framework.fiscal_year, row.from_item.code) in new]
        self.assertEqual(len(rows), len(new))
        for row in rows:
            self.assertFalse(row.verified)
            self.assertIn("FRAMEWORK.md §7", row.note)
            self.assertIn(f"{row.from_item.code.upper()} ", row.note)
            self.assertIn(f"{row.to_item.code.upper()} ", row.note)

    def test_a_2568_checklist_carries_forward_to_every_2569_counterpart(self):
        year, nxt = (Framework.objects.get(fiscal_year=y) for y in (2568, 2569))
        items = oit_items(year)
        wanted = {item: ([f"https://alpha.go.th/{item.code}"], f"หมายเหตุ {item.code}") for item in items}
        save_entries(
            checklist=checklist_for(self.alpha, year), version=0, wanted=wanted, user=self.alice, summary="ปี 2568"
        )
        result = carry_forward(checklist=checklist_for(self.alpha, year), target=nxt, user=self.alice)
        self.assertEqual(result.carried, [item.code.upper() for item in items if item.code in OIT_2568_TO_2569])
        self.assertEqual(result.not_linked, UNLINKED_2568)
        self.assertEqual(result.kept, [])
        codes = {item.pk: item.code for item in oit_items(nxt)}
        carried = {codes[pk]: urls for pk, (urls, _note) in stored_values(result.checklist).items()}
        self.assertEqual(carried, {to: [f"https://alpha.go.th/{code}"] for code, to in OIT_2568_TO_2569.items()})
