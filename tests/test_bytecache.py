"""The byte-bounded LRU that holds rendered pages and region lists."""

from hypothesis import given
from hypothesis import strategies as st

from registry.bytecache import ByteBudgetCache, json_size_estimate


def test_the_least_recently_used_entries_leave_first_once_the_budget_is_passed():
    cache: ByteBudgetCache[str] = ByteBudgetCache(1000)
    for n in range(4):
        cache.put(n, f"page {n}", 200)
    assert cache.get(0) == "page 0"  # 0 is now the most recently used
    cache.put(4, "page 4", 250)  # 1,050 bytes: the oldest untouched entry (1) goes
    assert cache.get(1) is None
    assert [cache.get(n) for n in (0, 2, 3, 4)] == ["page 0", "page 2", "page 3", "page 4"]
    assert cache.size_bytes == 850


def test_an_entry_above_a_quarter_of_the_budget_is_not_kept_and_evicts_nothing():
    cache: ByteBudgetCache[str] = ByteBudgetCache(1000)
    cache.put("small", "x", 100)
    cache.put("huge", "y", 251)
    assert cache.get("huge") is None and cache.get("small") == "x"


def test_replacing_a_key_counts_its_size_once():
    cache: ByteBudgetCache[str] = ByteBudgetCache(1000)
    cache.put("a", "one", 200)
    cache.put("a", "two", 100)
    assert cache.size_bytes == 100 and len(cache) == 1 and cache.get("a") == "two"


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 300)), max_size=200))
def test_the_cache_never_holds_more_than_its_budget(puts):
    cache: ByteBudgetCache[int] = ByteBudgetCache(1000)
    sizes: dict[int, int] = {}
    for key, size in puts:
        cache.put(key, key, size)
        if size <= 250:
            sizes[key] = size
        else:
            sizes.pop(key, None)
        assert cache.size_bytes <= 1000
    # what is left is exactly what the cache says it holds
    held = [k for k in sizes if cache.get(k) is not None]
    assert sum(sizes[k] for k in held) == cache.size_bytes


def test_the_size_estimate_grows_with_the_content():
    small = [{"code": "D00001", "title": "台账"}]
    assert json_size_estimate(small * 10) > json_size_estimate(small) > 0
