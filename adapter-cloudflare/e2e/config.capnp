# workerd configuration for the end-to-end test of the microcos Worker:
# the built Worker, its SQLite-backed Durable Objects on local disk, and a
# local stand-in bound as the Workers AI binding `AI`. The socket `fault`
# serves the same Worker with a test-only failure injected into its storage
# (the first batch of two or more rows fails at its second row), with its
# own Durable Objects. The socket `load` serves it without a rate limit, for
# the load figures (one user sending as fast as it can), with its own
# Durable Objects; `http` has the default limits, as a deployment does.
# The socket `triage` serves examples/triage-worker: an embedder's domain on
# the same adapter (built by scripts/e2e-workerd).
#
#   workerd serve config.capnp -d disk=<state dir> -d assets=<repo>/web/dist \
#     -s http=127.0.0.1:<port> -s fault=127.0.0.1:<port> -s load=127.0.0.1:<port> -s triage=127.0.0.1:<port>
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .microcos),
    (name = "faulty", worker = .faulty),
    (name = "unlimited", worker = .unlimited),
    (name = "triage", worker = .triage),
    (name = "disk", disk = (path = "/tmp/microcos-workerd-state", writable = true)),
    # The web app's files (web/dist), as wrangler's [assets] serves them: `-d assets=<dir>`.
    (name = "assets", disk = (path = "/tmp/microcos-web-dist")),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:8788", http = (), service = "main"),
    (name = "fault", address = "127.0.0.1:8789", http = (), service = "faulty"),
    (name = "load", address = "127.0.0.1:8790", http = (), service = "unlimited"),
    (name = "triage", address = "127.0.0.1:8791", http = (), service = "triage"),
  ],
  extensions = [ (modules = [ (name = "microcos-test:ai", esModule = embed "ai-standin.js", internal = true) ]) ],
);

const microcos :Workerd.Worker = (
  modules = [
    (name = "index.js", esModule = embed "../build/index.js"),
    (name = "index_bg.wasm", wasm = embed "../build/index_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "MICROCOS_SECRET", text = "e2e-secret-not-for-production-0123456789"),
    # The operator's secret of POST /v1/admin/revoke (the black-box suite's MICROCOS_BLACKBOX_ADMIN_SECRET).
    (name = "MICROCOS_ADMIN_SECRET", text = "e2e-admin-secret-not-for-production-9876543210"),
    (name = "AI", wrapped = (moduleName = "microcos-test:ai")),
    (name = "USERS", durableObjectNamespace = "UserObject"),
    (name = "ASSETS", service = "assets"),
  ],
  durableObjectNamespaces = [ (className = "UserObject", uniqueKey = "microcos-users-e2e", enableSql = true) ],
  durableObjectStorage = (localDisk = "disk"),
);

const unlimited :Workerd.Worker = (
  modules = [
    (name = "index.js", esModule = embed "../build/index.js"),
    (name = "index_bg.wasm", wasm = embed "../build/index_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "MICROCOS_SECRET", text = "e2e-secret-not-for-production-0123456789"),
    # The load figures send as fast as they can from one user: no rate limit.
    (name = "MICROCOS_RATE_PER_S", text = "0"),
    (name = "AI", wrapped = (moduleName = "microcos-test:ai")),
    (name = "USERS", durableObjectNamespace = "UserObject"),
  ],
  durableObjectNamespaces = [ (className = "UserObject", uniqueKey = "microcos-users-e2e-load", enableSql = true) ],
  durableObjectStorage = (localDisk = "disk"),
);

const faulty :Workerd.Worker = (
  modules = [
    (name = "index.js", esModule = embed "../build/index.js"),
    (name = "index_bg.wasm", wasm = embed "../build/index_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "MICROCOS_SECRET", text = "e2e-secret-not-for-production-0123456789"),
    (name = "MICROCOS_TEST_FAIL_BATCH_AT", text = "1"),
    (name = "AI", wrapped = (moduleName = "microcos-test:ai")),
    (name = "USERS", durableObjectNamespace = "UserObject"),
  ],
  durableObjectNamespaces = [ (className = "UserObject", uniqueKey = "microcos-users-e2e-fault", enableSql = true) ],
  durableObjectStorage = (localDisk = "disk"),
);

const triage :Workerd.Worker = (
  modules = [
    (name = "index.js", esModule = embed "../../examples/triage-worker/build/index.js"),
    (name = "index_bg.wasm", wasm = embed "../../examples/triage-worker/build/index_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "MICROCOS_SECRET", text = "e2e-triage-secret-not-for-production-012345"),
    # Urgent tickets escalate after 1.5 s (tests/triage_http.rs's URGENT_MS), not an hour.
    (name = "TRIAGE_URGENT_AFTER_MS", text = "1500"),
    (name = "AI", wrapped = (moduleName = "microcos-test:ai")),
    (name = "USERS", durableObjectNamespace = "TriageObject"),
  ],
  durableObjectNamespaces = [ (className = "TriageObject", uniqueKey = "microcos-triage-e2e", enableSql = true) ],
  durableObjectStorage = (localDisk = "disk"),
);
