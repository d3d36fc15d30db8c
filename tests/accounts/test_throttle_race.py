"""Parallel password guesses cannot slip past the sign-in limit."""

import threading

from registry.accounts.services import RateLimited, authenticate

LIMIT = 5
GUESSES = 16


def test_parallel_wrong_guesses_stop_at_the_limit(db):
    barrier = threading.Barrier(GUESSES)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess(n: int) -> None:
        barrier.wait()
        try:
            result = "wrong" if authenticate(db, "admin", f"guess-{n}", "10.9.8.7", LIMIT, 900) is None else "in"
        except RateLimited:
            result = "throttled"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("wrong") == LIMIT
    assert outcomes.count("throttled") == GUESSES - LIMIT
