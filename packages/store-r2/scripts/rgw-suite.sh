#!/usr/bin/env bash
# Runs the store-r2 test suite against Ceph RGW: a throwaway single-node cluster on 127.0.0.1 (one
# monitor, one in-memory OSD, auth none, pool size 1, msgr v1), a user and a bucket. Everything it
# starts lives in one temp dir and is stopped on exit, whatever happens.
# Usage: bash scripts/rgw-suite.sh [command…]   (default: the vitest suite, results in test-results/vitest-rgw.json)
# CLAIMCHECK_RGW_MEMSTORE_BYTES sizes the in-memory OSD (default 4 GiB): RGW frees a deleted object's
# data only at its garbage collection, hours later, so everything written in a run stays there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null; then
  echo "rgw-suite: installing radosgw ceph-mon ceph-osd from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >/dev/null
fi

# The README examples import the built package; a cache hit when `pnpm test` has just built it.
(cd ../.. && pnpm exec turbo run build --filter=@claimcheck/store-r2 --output-logs=errors-only >/dev/null)

dir=$(mktemp -d /tmp/claimcheck-rgw.XXXXXX)
pids=()
stop() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] && [ -d "$dir/log" ]; then
    echo "rgw-suite: failed ($status); last lines of the Ceph logs:" >&2
    tail -n 20 "$dir"/log/* >&2 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Free loopback ports for the monitor and the gateway, chosen by the OS.
read -r mon_port rgw_port < <(node -e '
const net = require("node:net");
const take = () => new Promise((resolve) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
Promise.all([take(), take()]).then((ports) => console.log(ports.join(" ")));')

fsid=$(uuidgen)
mkdir -p "$dir"/{run,log,mon.a,osd.0}
conf="$dir/ceph.conf"
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon_host = [v1:127.0.0.1:$mon_port]
ms_bind_msgr2 = false
ms_bind_msgr1 = true
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
run_dir = $dir/run
log_file = $dir/log/\$name.log
admin_socket = $dir/run/\$name.asok
pid_file = $dir/run/\$name.pid
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_max_pg_per_osd = 1000
[mon.a]
mon_data = $dir/mon.a
[osd.0]
osd_data = $dir/osd.0
osd_objectstore = memstore
# The OSD's own crush update on start races its first monmap ("wrong fsid"); the script places it instead.
osd_crush_update_on_start = false
osd_class_update_on_start = false
memstore_device_bytes = ${CLAIMCHECK_RGW_MEMSTORE_BYTES:-4294967296}
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
rgw_data = $dir/rgw.a
rgw_dns_name = 127.0.0.1
CONF

ceph_cmd() { ceph -c "$conf" --connect-timeout 20 "$@"; }

start=$(date +%s)
monmaptool --create --clobber --fsid "$fsid" --addv a "[v1:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
ceph-mon -c "$conf" -i a --mkfs --monmap "$dir/monmap" >/dev/null
ceph-mon -c "$conf" -i a -f >>"$dir/log/mon.a.out" 2>&1 &
pids+=($!)

osd_uuid=$(uuidgen)
osd_id=$(ceph_cmd osd new "$osd_uuid")
ceph_cmd osd crush add "osd.$osd_id" 1.0 root=default >/dev/null 2>&1
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1
ceph-osd -c "$conf" -i "$osd_id" -f >>"$dir/log/osd.out" 2>&1 &
pids+=($!)

mkdir -p "$dir/rgw.a"
radosgw -c "$conf" -n client.rgw.a -f >>"$dir/log/rgw.out" 2>&1 &
pids+=($!)

endpoint="http://127.0.0.1:$rgw_port"
for _ in $(seq 120); do
  curl -s -o /dev/null "$endpoint" && break
  kill -0 "${pids[2]}" 2>/dev/null || { echo "rgw-suite: radosgw exited" >&2; exit 1; }
  sleep 0.5
done
curl -s -o /dev/null "$endpoint" || { echo "rgw-suite: radosgw did not answer on $endpoint" >&2; exit 1; }

access_key=claimcheck-rgw-access
secret_key=$(uuidgen)
radosgw-admin -c "$conf" user create --uid claimcheck --display-name claimcheck \
  --access-key "$access_key" --secret-key "$secret_key" >/dev/null
echo "rgw-suite: RGW up on $endpoint after $(( $(date +%s) - start )) s"

export CLAIMCHECK_S3_ENDPOINT="$endpoint" CLAIMCHECK_S3_BUCKET=claimcheck-rgw \
  CLAIMCHECK_S3_ACCESS_KEY_ID="$access_key" CLAIMCHECK_S3_SECRET_ACCESS_KEY="$secret_key" CLAIMCHECK_S3_SERVER=rgw
node scripts/create-bucket.mjs

if [ "$#" -gt 0 ]; then
  "$@"
else
  pnpm exec vitest run --outputFile.json=test-results/vitest-rgw.json
fi
