"""Two app servers behind haproxy, one PostgreSQL, one Redis (issue 26), all started by this module.

tests/multinode.py starts a Redis of its own, two gunicorn app servers as production runs them
(DEBUG off, gunicorn.conf.py, FILE_STORAGE=database, CACHE_URL, TRUSTED_PROXIES=1), each in its
own working directory with its own MEDIA_ROOT, the task worker when the checkout has one
(`manage.py db_worker`), and haproxy in front, round robin, retrying idempotent requests on the
other server. The servers use the test database pytest-django made, so it needs PostgreSQL
(CI's second leg; `DATABASE_URL=postgres://... pytest -m multinode`). Clients come from
addresses of their own on the loopback (127.0.0.2, ...): to haproxy each is another client.

haproxy's log names the server that answered every request; the tests read it to show that both
servers took part.
"""

import http.client
import os
import shutil
import signal
import threading
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

from benchmarking.models import Interview, Report
from ecei_site.models import StoredFile
from tests.factories import PASSWORD, ClusterFactory, InterviewFactory, UserFactory, answer_all
from tests.multinode import Browser, Stack, database_url

# transaction=True: the servers read what a test writes, so it must be committed; and the mark makes
# pytest-django create the test database even when these are the only tests run.
# Under `pytest -n 2` every test of this module runs on one worker (conftest.py, ONE_WORKER_MODULES),
# so the module's one stack is started once, not once on each worker (twice the servers on two
# cores, and two collectstatic runs writing staticfiles/ at once).
pytestmark = [pytest.mark.slow, pytest.mark.multinode, pytest.mark.django_db(transaction=True)]

RATE = 10  # the API's anonymous requests a minute on both servers
CLIENTS = 4  # reading pages while a server is killed


def _missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "the multi-node test needs PostgreSQL (DATABASE_URL=postgres://...), as CI's second leg runs it"
    for program in ("haproxy", "redis-server"):
        if shutil.which(program) is None:
            reason = f"{program} is not installed (apt-get install {program}; .ci/run does)"
            if os.environ.get("CI"):
                pytest.fail(f"CI must run the multi-node test: {reason}")
            return reason
    return None


@pytest.fixture(scope="module")
def stack(django_db_setup, tmp_path_factory):
    """The servers, started once for the module, on the test database."""
    if reason := _missing():
        pytest.skip(reason)
    name = settings.DATABASES["default"]["NAME"]
    if not name.startswith(TEST_DATABASE_PREFIX):  # never the developer's own database
        pytest.fail(f"The servers would use the database {name!r}, not a test database")
    started = Stack(
        directory=tmp_path_factory.mktemp("multinode"),
        database_url=database_url(settings.DATABASES["default"]),
        extra_env={"ECEI_API_RATE_ANONYMOUS": f"{RATE}/minute"},
    )
    try:
        started.start()
        yield started
    except Exception:
        for process in ("a", "b", "haproxy", "worker", "redis"):
            print(f"--- {process}.log\n{started.log(process)[-3000:]}")
        raise
    finally:
        started.stop()


@pytest.fixture(autouse=True)
def people(transactional_db):
    """Each test's accounts, committed for the servers to read (transactional_db empties the
    database after each test). Hashed as the servers' settings check them, whatever hashers this
    test process has on."""
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    for username in ("secretariat", "manager", "lockme"):
        UserFactory(username=username, is_staff=username == "secretariat")
        get_user_model().objects.filter(username=username).update(password=hashed)


def _proxy(stack, source="127.0.0.1") -> Browser:
    return Browser(stack.ports["proxy"], source=source)


def _node(stack, name) -> Browser:
    return Browser(stack.ports[name])


def test_a_manager_logs_in_through_the_proxy_and_both_servers_know_the_session(stack):
    manager = _proxy(stack, "127.0.0.2")
    response = manager.login("manager", PASSWORD)
    assert response.status == 302, response.content.decode()[-3000:]
    assert [manager.get("/my-cluster/?n=session").status for _ in range(4)] == [200] * 4
    assert sorted(stack.served_by("/my-cluster/?n=session", 4)) == ["a", "a", "b", "b"]


def test_a_report_approved_on_one_server_is_served_with_its_pdf_by_the_other(stack):
    call_command("loaddata", "portfolios", "catalogue_v1", verbosity=0)
    interview = answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, cluster=ClusterFactory(eligible=True)))
    interview.cluster.managers.add(UserFactory(username="manager"))

    secretariat = _node(stack, "a")  # straight to server a
    assert secretariat.login("secretariat", PASSWORD).status == 302
    approved = secretariat.post_form(f"/review/interviews/{interview.pk}/approve/", {"version": interview.version})
    assert approved.status == 302, approved.content.decode()[-2000:]

    # Issued in the request, or by the task worker: wait for it.
    deadline = time.monotonic() + 120
    while not (report := Report.objects.filter(interview=interview).first()) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert report, "no report was issued"

    manager = _node(stack, "b")  # straight to server b
    response = manager.login("manager", PASSWORD)
    assert response.status == 302, response.content.decode()[-3000:]
    page = manager.get(f"/reports/{report.code}/")
    assert page.status == 200 and report.code in page.content.decode()
    pdf = manager.get(f"/reports/{report.code}.pdf")
    assert pdf.status == 200 and pdf.content.startswith(b"%PDF")

    # Through the proxy, each server answers once, both with the one PDF kept in the database.
    via_proxy = _proxy(stack, "127.0.0.3")
    assert via_proxy.login("manager", PASSWORD).status == 302
    assert {via_proxy.get(f"/reports/{report.code}.pdf").content for _ in range(2)} == {pdf.content}
    assert sorted(stack.served_by(f"/reports/{report.code}.pdf", 2)) == ["a", "b"]
    # One PDF a language (the worker renders one for each reader's language), kept once in the
    # database for both servers; the stored report page lies beside them.
    pdfs = StoredFile.objects.filter(name__contains=report.code, name__endswith=".pdf")
    assert 1 <= pdfs.count() <= len(settings.LANGUAGES)
    on_disk = [path for name in stack.nodes for path in stack.media_root(name).rglob("*") if path.is_file()]
    assert on_disk == [], "nothing on a server's own disk"


def test_the_api_rate_limit_counts_across_both_servers_and_a_forged_header_does_not_escape_it(stack):
    client = _proxy(stack, "127.0.0.4")
    statuses = [
        client.get("/api/v1/portfolios/?n=rate", headers={"X-Forwarded-For": f"192.0.2.{n}"}).status
        for n in range(RATE + 4)
    ]
    assert statuses == [200] * RATE + [429] * 4, "each forged X-Forwarded-For would be a new client"
    served = stack.served_by("/api/v1/portfolios/?n=rate", RATE + 4)
    assert served.count("a") == served.count("b") == (RATE + 4) // 2, "both servers counted in the one Redis"
    # Another client, through the same haproxy, has its own count.
    assert _proxy(stack, "127.0.0.5").get("/api/v1/portfolios/?n=rate").status == 200


def test_the_login_lockout_counts_across_both_servers(stack):
    attacker = _proxy(stack, "127.0.0.6")
    token = attacker.csrf_token("/accounts/login/")  # then only POSTs: they alternate between the servers
    failures = [
        attacker.post_form(
            "/accounts/login/?n=lock", {"username": "lockme", "password": "wrong"}, token=token,
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        ).status
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]  # fmt: skip
    assert failures[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again
    logins = stack.served_by("/accounts/login/?n=lock", settings.AXES_FAILURE_LIMIT)
    assert set(logins) == {"a", "b"}, "the failures went to both servers"
    # Locked, on both servers, whatever address the client claims.
    assert [attacker.login("lockme", PASSWORD).status for _ in range(2)] == [429, 429]
    assert attacker.login("lockme", PASSWORD, headers={"X-Forwarded-For": "127.0.0.7"}).status == 429
    assert set(AccessAttempt.objects.filter(username="lockme").values_list("ip_address", flat=True)) == {"127.0.0.6"}
    # The user, from her own address, still gets in.
    assert _proxy(stack, "127.0.0.7").login("lockme", PASSWORD).status == 302


def test_killing_a_server_mid_run_loses_no_request_that_haproxy_could_retry(stack):
    """Four clients read pages while server b is killed (SIGKILL, its workers too): haproxy retries
    on a every request that b refused, or dropped before answering, and takes b out once its health
    check fails. The only request that may fail is one whose answer b had begun to send when it died
    (haproxy has passed part of it on and cannot retry it): at most one per client."""
    results, stop = [], threading.Event()
    lock = threading.Lock()

    def reader(n):
        client = _proxy(stack, f"127.0.1.{n}")
        while not stop.is_set():
            try:
                status = client.get(f"/clusters/?n=kill{n}").status
            except (OSError, http.client.HTTPException) as error:
                status = error.__class__.__name__
            with lock:
                results.append(status)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        before_kill = len(results)
        stack.kill("b")
        time.sleep(6)  # b is found dead by the requests first, then by the health check
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        stack.start_node("b")  # back for the other tests
        stack.wait_until_up("a", "b")
    served = [r for r in stack.requests_served() if "?n=kill" in r["uri"]]
    retried = [r for r in served if r["retries"] != "0"]
    cut_short = [status for status in results if status != 200]
    print(f"\n{len(results)} requests, {len(retried)} retried on a, {len(cut_short)} cut short: {cut_short}")
    assert before_kill > 0 and {r["server"] for r in served[:before_kill]} == {"a", "b"}
    assert retried, "no request met the dead server: the kill came too late or too early"
    assert all(r["server"] == "a" and r["status"] == "200" for r in retried), retried
    # No error status at all (no 502 or 503 from haproxy): only answers cut off in the middle.
    assert set(cut_short) <= {"IncompleteRead", "RemoteDisconnected", "ConnectionResetError"}, cut_short
    assert len(cut_short) <= CLIENTS
    assert results.count(200) >= len(results) - CLIENTS


def test_a_redis_outage_degrades_the_servers_and_health_says_so(stack):
    stack.kill("redis", signal.SIGKILL)
    try:
        client = _proxy(stack, "127.0.0.8")
        assert [client.get("/?n=redis-down").status for _ in range(4)] == [200] * 4  # the cached counts
        assert [client.get("/api/v1/portfolios/?n=redis-down").status for _ in range(2)] == [200] * 2
        for name in stack.nodes:
            health = _node(stack, name).get("/health/")
            assert health.status == 200  # still serving: haproxy keeps it in
            assert b'"status": "degraded"' in health.content and b"unreachable: ConnectionError" in health.content
        assert stack.server_states() == {"a": "UP", "b": "UP"}
    finally:
        stack.start_redis()
    time.sleep(5.5)  # the servers ask Redis again after ecei_site.cache.RETRY_AFTER_SECONDS
    assert b'"status": "ok"' in _node(stack, "a").get("/health/").content
