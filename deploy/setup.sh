#!/usr/bin/env bash
# Set up everything the portal needs on Debian 12, idempotently.
#   deploy/setup.sh run   - services, virtualenv, databases, demo content; then serve on :5000
#   deploy/setup.sh test  - the same without demo content, on the test databases
set -euo pipefail

MODE=${1:-run}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV="$ROOT/.venv"
export PATH="$VENV/bin:$PATH"  # ckanapi re-executes `ckan` from PATH
CKAN="$VENV/bin/ckan"
PG_PORT=5432

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
psql_admin() { as_postgres psql -h /var/run/postgresql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

# --- system packages -----------------------------------------------------------------------
ensure_packages() {
    local want=(postgresql postgresql-contrib postgresql-15-postgis-3 redis-server redis-tools
                python3 python3-venv python3-dev libpq-dev build-essential libmagic1 git
                ghostscript fonts-dejavu-core)
    # Browser checks of the test suite run in Debian's headless Chromium; the geospatial harvester's
    # tests harvest a real MapServer (WMS/WFS through its CGI); the infographic tests read QR codes
    # back with zbar.
    if [ "$MODE" = test ]; then
        want+=(chromium chromium-driver cgi-mapserver mapserver-bin libzbar0)
        # axe-core comes from npm; a Node.js that is already there (NodeSource ships npm inside its
        # nodejs package, which Debian's npm conflicts with) is used as it is.
        command -v npm >/dev/null || want+=(nodejs npm)
    fi
    local missing=()
    for pkg in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    # A PostgreSQL server that is already installed (any packaging) is used as it is.
    if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1; then
        local kept=()
        for pkg in "${missing[@]}"; do
            case "$pkg" in postgresql|postgresql-contrib) ;; *) kept+=("$pkg") ;; esac
        done
        missing=("${kept[@]}")
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing with apt: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# --- services ------------------------------------------------------------------------------
ensure_services() {
    if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
        local version
        version=$(ls /etc/postgresql | sort -V | tail -n 1)
        say "Starting PostgreSQL $version"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 1; done
    fi
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        say "Starting Redis"
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
            --dir /var/lib/redis --logfile /var/log/redis/satudata.log
        for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
    fi
}

# --- virtualenv ----------------------------------------------------------------------------
ensure_venv() {
    [ -x "$VENV/bin/python" ] || { say "Creating virtualenv .venv"; python3 -m venv "$VENV"; }
    local stamp="$VENV/.satudata-installed" digest
    digest=$(cat setup.py MANIFEST.in | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ] || ! "$VENV/bin/python" -c "import ckanext.satudatapasuruan" 2>/dev/null; then
        say "Installing the bundle and its pinned dependencies"
        mkdir -p var/log
        { "$VENV/bin/pip" install -q --upgrade pip setuptools wheel &&
          "$VENV/bin/pip" install -q -e ".[test]"; } >var/log/pip.log 2>&1 \
            || { tail -n 30 var/log/pip.log; exit 1; }
        echo "$digest" > "$stamp"
    fi
}

# pygeoapi (OGC API - Features) and pycsw (CSW) serve the geospatial harvester's tests from their own
# virtualenv: pycsw pins OWSLib and SQLAlchemy below what CKAN and ckanext-spatial need.
ensure_ogc_venv() {
    local ogc="$ROOT/.venv-ogc" stamp="$ROOT/.venv-ogc/.satudata-installed" want="pygeoapi==0.21.0 pycsw==2.6.2 SQLAlchemy<2"
    [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return
    say "Installing the test OGC servers (pygeoapi, pycsw) in .venv-ogc"
    mkdir -p var/log
    [ -x "$ogc/bin/python" ] || python3 -m venv "$ogc"
    # shellcheck disable=SC2086
    "$ogc/bin/pip" install -q $want >var/log/pip-ogc.log 2>&1 || { tail -n 30 var/log/pip-ogc.log; exit 1; }
    echo "$want" > "$stamp"
}

# axe-core (npm) for the accessibility checks in headless Chromium (tests/e2e/test_accessibility.py).
ensure_axe() {
    local dir=tests/e2e stamp=tests/e2e/node_modules/.satudata-installed digest
    digest=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    [ "$(cat "$stamp" 2>/dev/null)" = "$digest" ] && return
    say "Installing axe-core with npm (tests/e2e/node_modules)"
    mkdir -p var/log
    npm ci --prefix "$dir" --no-audit --no-fund >var/log/npm.log 2>&1 || { tail -n 30 var/log/npm.log; exit 1; }
    echo "$digest" > "$stamp"
}

# --- databases -----------------------------------------------------------------------------
ensure_databases() {
    local catalog=$1 datastore=$2
    psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ckan_satudata') THEN
    CREATE ROLE ckan_satudata LOGIN PASSWORD 'ckan_satudata';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'datastore_satudata_ro') THEN
    CREATE ROLE datastore_satudata_ro LOGIN PASSWORD 'datastore_satudata_ro';
  END IF;
END \$\$;
SQL
    for db in "$catalog" "$datastore"; do
        if [ -z "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
            say "Creating database $db"
            psql_admin -d postgres -c "CREATE DATABASE $db OWNER ckan_satudata ENCODING 'UTF8' TEMPLATE template0"
        fi
    done
    # PostGIS gets its own schema, off the search_path: CKAN's test fixtures drop every
    # table visible in `public`.
    psql_admin -d "$catalog" -c "CREATE SCHEMA IF NOT EXISTS postgis AUTHORIZATION ckan_satudata;
        CREATE EXTENSION IF NOT EXISTS postgis SCHEMA postgis; CREATE EXTENSION IF NOT EXISTS unaccent;" 2>/dev/null
}

ckan_cmd() { "$CKAN" -c "$INI" "$@"; }

init_ckan() {
    local datastore=$1
    say "Migrating the catalogue database"
    ckan_cmd db init >/dev/null
    ckan_cmd db upgrade -p satudata_pgsearch >/dev/null
    ckan_cmd db upgrade -p satudata_entry >/dev/null
    if [ "$MODE" = run ]; then
        # The test configuration enables these plugins per test; the suite migrates ours itself.
        ckan_cmd db upgrade -p satudata_workflow >/dev/null
        ckan_cmd db upgrade -p harvest >/dev/null
        ckan_cmd db upgrade -p satudata_harvest >/dev/null
        ckan_cmd db upgrade -p satudata_infographic >/dev/null
        ckan_cmd db upgrade -p satudata_pages >/dev/null
        ckan_cmd db upgrade -p satudata_dashboard >/dev/null
        ckan_cmd db upgrade -p satudata_calendar >/dev/null
        ckan_cmd db upgrade -p satudata_feedback >/dev/null
        ckan_cmd db upgrade -p satudata_quality >/dev/null
        ckan_cmd db upgrade -p satudata_kamus >/dev/null
        ckan_cmd db upgrade -p satudata_rekomendasi >/dev/null
        ckan_cmd db upgrade -p satudata_daftardata >/dev/null
        ckan_cmd db upgrade -p satudata_monev >/dev/null
    fi
    CKAN__PLUGINS="satudata_pgsearch datastore" "$CKAN" -c "$INI" datastore set-permissions 2>/dev/null \
        | psql_admin -d "$datastore" >/dev/null
}

write_local_ini() {
    if [ ! -f config/local.ini ]; then
        say "Writing config/local.ini (secrets for this machine; not committed)"
        local secret
        secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
        cat > config/local.ini <<INI
# Written by deploy/setup.sh for this machine. Not committed.
[app:main]
use = config:ckan.ini
SECRET_KEY = $secret
INI
    fi
}

ensure_sysadmin() {
    mkdir -p var
    local pwfile=var/admin-password
    [ -s "$pwfile" ] || python3 -c 'import secrets; print(secrets.token_urlsafe(12))' > "$pwfile"
    local password
    password=$(cat "$pwfile")
    if ! ckan_cmd user show admin 2>/dev/null | grep -q "name=admin"; then
        say "Creating sysadmin 'admin'"
        ckan_cmd user add admin email=admin@satudata.pasuruankab.test password="$password" \
            fullname="Admin Walidata" >/dev/null
    fi
    # The password file is the truth (a new checkout against an existing database gets its own).
    ckan_cmd user setpass admin -p "$password" >/dev/null
    ckan_cmd sysadmin add admin >/dev/null 2>&1 || true
    ADMIN_PASSWORD=$password
}

# Demo datasets and where the workflow leaves them (the rest are published); only drafts are moved,
# so a second run never undoes what someone did in the demo.
DEMO_SUBMITTED="contoh-kepemilikan-ktp-el-dan-akta-kelahiran contoh-kualitas-air-sungai"
DEMO_VERIFIED="contoh-prevalensi-stunting-balita"
DEMO_DRAFT="contoh-populasi-ternak"

load_demo() {
    say "Loading demo content (organisations, workflow users and datasets marked [Contoh])"
    local pwfile=var/demo-password users
    [ -s "$pwfile" ] || python3 -c 'import secrets; print(secrets.token_urlsafe(12))' > "$pwfile"
    DEMO_PASSWORD=$(cat "$pwfile")
    users=$(mktemp)
    for u in operator:"Operator Dispendukcapil" verifikator:"Verifikator Dispendukcapil" \
             walidata:"Walidata Diskominfo" pembina:"Pembina BPS"; do
        printf '{"name": "contoh-%s", "fullname": "[Contoh] %s", "email": "contoh-%s@satudata.pasuruankab.test", "password": "%s"}\n' \
            "${u%%:*}" "${u#*:}" "${u%%:*}" "$DEMO_PASSWORD" >> "$users"
    done
    "$VENV/bin/ckanapi" load users -I "$users" -c "$INI" >/dev/null
    rm -f "$users"
    "$VENV/bin/ckanapi" load organizations -I deploy/demo/organizations.jsonl -c "$INI"
    "$VENV/bin/ckanapi" load datasets -I deploy/demo/datasets.jsonl -c "$INI"
    local all published=()
    all=$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["name"] for l in open(sys.argv[1])))' \
        deploy/demo/datasets.jsonl)
    for name in $all; do
        case " $DEMO_SUBMITTED $DEMO_VERIFIED $DEMO_DRAFT " in *" $name "*) ;; *) published+=("$name") ;; esac
    done
    # Demo data keeps the gaps a quality board should show: published past the publish gate, on the record.
    ckan_cmd satudata-workflow move --from draft --to terbit "${published[@]}" \
        --gate-override-reason "[Contoh] Data demo dimuat oleh deploy/setup.sh; tiket mutunya tetap terbuka" >/dev/null
    # shellcheck disable=SC2086
    ckan_cmd satudata-workflow move --from draft --to diajukan $DEMO_SUBMITTED >/dev/null
    ckan_cmd satudata-workflow move --from draft --to diverifikasi_opd $DEMO_VERIFIED >/dev/null
    # The official infographic templates, approved for the demo (a real portal's walidata approves them).
    ckan_cmd satudata-infographic init-templates --approve >/dev/null
    # Tentang, Kontak and the Panduan pages in Bahasa Indonesia (never overwrites a page the walidata edited).
    ckan_cmd satudata-pages init >/dev/null
    load_demo_calendar
    load_demo_kamus
    load_demo_daftardata
    # Rekomendasi statistik: two QR-stamped letters for a demo survey, the first revoked and replaced (once).
    "$VENV/bin/python" deploy/demo/rekomendasi.py "$INI" 2>/dev/null
    # Metadata quality tickets of the demo datasets (every later save rescans its dataset).
    ckan_cmd satudata-quality scan --all >/dev/null
}

# Kamus data entries drawn from the demo datasets (once: a portal whose kamus has entries keeps its own).
load_demo_kamus() {
    local found
    found=$("$VENV/bin/ckanapi" action satudata_kamus_entry_list limit=1 -c "$INI" 2>/dev/null)
    printf '%s' "$found" | grep -q '"count": 0' || return 0
    ckan_cmd satudata-kamus import deploy/demo/kamus.csv --note "[Contoh] dimuat oleh deploy/setup.sh" >/dev/null
}

# Daftar data of the demo OPDs (needed, in production, available; the priority flags with their legal basis)
# and the priority list agreed once, so the matrix, the gap list and the KPI have figures (once: a portal whose
# daftar data has entries keeps its own).
load_demo_daftardata() {
    local found
    found=$("$VENV/bin/ckanapi" action satudata_daftardata_entry_list limit=1 -c "$INI" 2>/dev/null)
    printf '%s' "$found" | grep -q '"count": 0' || return 0
    ckan_cmd satudata-daftardata import deploy/demo/daftardata.csv >/dev/null
    "$VENV/bin/ckanapi" action satudata_daftardata_version_create -c "$INI" \
        agreed_by="[Contoh] Forum Satu Data Kabupaten Pasuruan" agreed_date="$(date +%Y)-03-01" \
        note="[Contoh] Daftar data prioritas dimuat oleh deploy/setup.sh" >/dev/null
}

# The register of OPD applications: the two demo systems harvested by the portal, and two more (once).
load_demo_apps() {
    local found
    found=$("$VENV/bin/ckanapi" action satudata_daftardata_app_list -c "$INI" 2>/dev/null)
    [ "$(printf '%s' "$found" | tr -d '[:space:]')" = "[]" ] || return 0
    local org name function priority integration source
    while IFS='|' read -r org name function priority integration source; do
        "$VENV/bin/ckanapi" action satudata_daftardata_app_create -c "$INI" owner_org="$org" name="$name" \
            function="$function" priority="$priority" integration="$integration" \
            ${source:+harvest_source_id="$source"} >/dev/null
    done <<'APPS'
badan-pengelolaan-keuangan-dan-aset-daerah|[Contoh] SIPD (realisasi anggaran)|Perencanaan dan penatausahaan keuangan daerah|true|dipanen|bpkad-realisasi-anggaran
badan-kepegawaian-dan-pengembangan-sumber-daya-manusia|[Contoh] e-Absensi|Rekap kehadiran ASN|false|dipanen|bkpsdm-rekap-kehadiran
dinas-kesehatan|[Contoh] SIMPUS|Sistem informasi manajemen puskesmas|true|api_terdokumentasi|
dinas-pendidikan|[Contoh] Dapodik daerah|Data pokok pendidikan|false|belum|
APPS
}

# Release calendar entries of the demo OPDs around today (once: a portal that has entries keeps its own).
load_demo_calendar() {
    local found
    found=$("$VENV/bin/ckanapi" action satudata_calendar_entry_list limit=1 -c "$INI" 2>/dev/null)
    [ "$(printf '%s' "$found" | tr -d '[:space:]')" = "[]" ] || return 0
    local entry org urusan title period days priority
    while IFS='|' read -r org urusan title period days priority; do
        "$VENV/bin/ckanapi" action satudata_calendar_entry_create -c "$INI" owner_org="$org" urusan="$urusan" \
            title="$title" period="$period" scheduled_date="$(date -d "$days days" +%F)" priority="$priority" >/dev/null
    done <<'ENTRIES'
dinas-kesehatan|1.02|[Contoh] Prevalensi Stunting Balita Semester II|Semester II 2026|7|true
badan-perencanaan-pembangunan-daerah|5.01|[Contoh] Indeks Pembangunan Manusia|2026|21|true
dinas-pendidikan|1.01|[Contoh] Angka Partisipasi Sekolah|Tahun ajaran 2026/2027|35|false
dinas-pertanian|3.27|[Contoh] Produksi Padi per Kecamatan|Triwulan IV 2026|3|false
ENTRIES
}

# The demo OPD application (fictional SIPD and e-Absensi data) and its two harvest sources; credentials are
# generated per machine, handed to the server by environment and stored apart from the sources' config.
OPD_PORT=8765
ensure_opd_secrets() {
    local f
    for f in bpkad-token bkpsdm-api-key; do
        [ -s "var/$f" ] || python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "var/$f"
    done
    BPKAD_TOKEN=$(cat var/bpkad-token); BKPSDM_API_KEY=$(cat var/bkpsdm-api-key)
    export BPKAD_TOKEN BKPSDM_API_KEY
}

load_harvest_sources() {
    say "Registering the demo OPD harvest sources (OPD server on :$OPD_PORT)"
    local name input
    for name in bpkad-realisasi-anggaran bkpsdm-rekap-kehadiran; do
        "$VENV/bin/ckanapi" action harvest_source_show id="$name" -c "$INI" >/dev/null 2>&1 && continue
        input=$(mktemp)
        "$VENV/bin/python" -c 'import json, sys
from ckanext.satudatapasuruan.harvesters import sources
print(json.dumps(sources.load(sys.argv[1], sys.argv[2])))' "$name" "http://127.0.0.1:$OPD_PORT" > "$input"
        "$VENV/bin/ckanapi" action harvest_source_create -c "$INI" -I "$input" >/dev/null
        rm -f "$input"
    done
}

serve() {
    mkdir -p var/log
    local pids=()
    "$CKAN" -c "$INI" jobs worker >var/log/worker.log 2>&1 & pids+=($!)
    # The harvest consumers exit after about a minute of an idle queue (redis-py's socket timeout) and when
    # Redis or PostgreSQL restart: restarted like the systemd units do (Restart=always).
    ( while :; do "$CKAN" -c "$INI" harvester gather-consumer; sleep 1; done ) >>var/log/gather.log 2>&1 & pids+=($!)
    ( while :; do "$CKAN" -c "$INI" harvester fetch-consumer; sleep 1; done ) >>var/log/fetch.log 2>&1 & pids+=($!)
    "$CKAN" -c "$INI" satudata-harvest schedule >var/log/harvest-schedule.log 2>&1 & pids+=($!)
    # Release calendar: embargoed datasets published at their time, reminders (every minute); usage counts
    # moved from Redis to the database (every 10 minutes). Production: deploy/cron/, deploy/systemd/.
    ( while :; do "$CKAN" -c "$INI" satudata-calendar tick; sleep 60; done ) >>var/log/calendar-tick.log 2>&1 & pids+=($!)
    ( while :; do sleep 600; "$CKAN" -c "$INI" satudata-feedback flush-usage; done ) >>var/log/usage-flush.log 2>&1 & pids+=($!)
    # Capaian Kinerja: the uptime heartbeat (every 5 minutes, after the server is up) and its visit counts.
    ( while :; do sleep 300; "$CKAN" -c "$INI" satudata-monev heartbeat; done ) >>var/log/monev-heartbeat.log 2>&1 & pids+=($!)
    ( while :; do sleep 900; "$CKAN" -c "$INI" satudata-monev flush-visits; done ) >>var/log/monev-visits.log 2>&1 & pids+=($!)
    "$VENV/bin/python" -m ckanext.satudatapasuruan.harvesters.opdserver --host 127.0.0.1 --port "$OPD_PORT" \
        --records 50 >var/log/opdserver.log 2>&1 & pids+=($!)
    # The restart loops are subshells: stop each one's current process too.
    trap 'for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null; kill "$p" 2>/dev/null; done; true' EXIT INT TERM
    cat <<MSG

  Portal Satu Data Kabupaten Pasuruan: http://127.0.0.1:5000
  Login: admin / $ADMIN_PASSWORD   (stored in var/admin-password)
  Workflow demo users (password $DEMO_PASSWORD, in var/demo-password): contoh-operator and
  contoh-verifikator (Dinas Kependudukan dan Pencatatan Sipil), contoh-walidata, contoh-pembina
  Background: job worker, harvest gather and fetch consumers, harvest scheduler (nightly 00:00 WIB), release
  calendar tick (embargo, reminders; every minute), usage-count flush (every 10 minutes), Capaian Kinerja
  heartbeat (every 5 minutes) and visit-count flush (every 15 minutes); logs in var/log/
  Demo OPD application (fictional SIPD BPKAD and e-Absensi BKPSDM data): http://127.0.0.1:$OPD_PORT
  (credentials in var/bpkad-token and var/bkpsdm-api-key); harvest sources on /harvest

MSG
    "$CKAN" -c "$INI" run -H 127.0.0.1 -p 5000 --disable-debugger --threaded
}

main() {
    ensure_packages
    ensure_services
    ensure_venv
    case "$MODE" in
        run)
            INI=config/local.ini
            write_local_ini
            ensure_databases ckan_satudata datastore_satudata
            init_ckan datastore_satudata
            ensure_sysadmin
            load_demo
            ensure_opd_secrets
            load_harvest_sources
            load_demo_apps
            [ "${SATUDATA_NO_SERVE:-}" = 1 ] || serve
            ;;
        test)
            INI=config/test.ini
            ensure_ogc_venv
            ensure_axe
            ensure_databases ckan_satudata_test datastore_satudata_test
            # The second portal of the federation round trip (tests/dcat/test_federation.py) resets its own.
            ensure_databases ckan_satudata_test_b datastore_satudata_test_b
            init_ckan datastore_satudata_test
            ;;
        *) echo "usage: $0 run|test" >&2; exit 2 ;;
    esac
}

main
