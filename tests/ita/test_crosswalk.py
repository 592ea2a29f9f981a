"""The one crosswalk walk: the pure grouping, and the ItemCrosswalk QuerySet the trend, catalogue and plans use."""

from unittest import TestCase as PlainTestCase

from django.test import TestCase

from ita.models import Framework, Item, ItemCrosswalk
from ita.models.frameworks import CrosswalkLinks, crosswalk_groups
from tests.factory import make_framework


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
