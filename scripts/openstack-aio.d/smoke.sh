# `scripts/openstack-aio smoke`, sourced by scripts/openstack-aio: end-to-end checks through Debian's openstack
# CLI as the trove service user (project service, role admin), the way TroveJ's task manager will use the clouds.
# One line per check, then "N passed, M failed"; returns non-zero on any failure. Everything it creates is
# named smoke-<random> and deleted at the end, and the last checks verify that nothing of it remains.

smoke_main() {
  local passed=0 failed=0 run tmp
  run=smoke-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN

  eval "$("$KEYSTONE" env trove)"
  export OS_AUTH_TYPE OS_AUTH_URL OS_IDENTITY_API_VERSION OS_REGION_NAME OS_USERNAME OS_PASSWORD OS_PROJECT_NAME
  export OS_USER_DOMAIN_NAME OS_PROJECT_DOMAIN_NAME
  # the CLI sends --nic none / networks under 2.1 otherwise; 2.79 returns user_data to admins
  export OS_COMPUTE_API_VERSION=2.79 OS_VOLUME_API_VERSION=3.44

  ok() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
  ko() { failed=$((failed + 1)); printf 'FAIL  %s%s\n' "$1" "${2:+: $2}"; }
  os() { "$OSC" "$@" 2>>"$tmp/cli.err"; }
  field() { os "$@" -f value; }
  quiet() { "$@" >/dev/null; } # e.g. field server show X -c status
  # poll COMMAND... until its output is WANT (or one of "A|B"), 120 s at most; prints the last value
  poll() {
    local want=$1 value="" started=$SECONDS
    shift
    while (( SECONDS - started < 120 )); do
      value=$(field "$@" || true)
      case "|$want|" in *"|$value|"*) echo "$value"; return 0 ;; esac
      case $value in error*|ERROR*) break ;; esac
      sleep 1
    done
    echo "$value"
    return 1
  }
  check() { # NAME COMMAND...: pass when COMMAND succeeds
    local name=$1
    shift
    if "$@"; then ok "$name"; else ko "$name" "$(tail -n 1 "$tmp/cli.err" 2>/dev/null)"; fi
  }

  local net_id subnet_id image_id flavor port_id server_id volume_id sg_id value t0 user_data_b64
  # ---- what start provisioned
  net_id=$(field network show "$NETWORK" -c id || true)
  subnet_id=$(field subnet show "$SUBNET" -c id || true)
  check "management network $NETWORK and subnet $SUBNET exist" test -n "$net_id" -a -n "$subnet_id"
  image_id=$(field image list --tag trove --name "$IMAGE_NAME" -c ID || true)
  check "image $IMAGE_NAME listed with tag trove" test -n "$image_id"
  flavor=$(field flavor show ds512M -c id || true)
  check "flavor ds512M exists" test -n "$flavor"

  # ---- Neutron: a port on the management network and a security group with a rule
  port_id=$(field port create --network "$net_id" "$run-port" -c id || true)
  value=$(field port show "$port_id" -c fixed_ips 2>/dev/null || true)
  check "port on $NETWORK with a fixed IP" grep -q "10\.77\.0\." <<<"$value"
  sg_id=$(field security group create "$run-sg" -c id || true)
  check "security group create" test -n "$sg_id"
  check "security group rule create (tcp 3306 ingress)" \
    quiet os security group rule create --protocol tcp --dst-port 3306 --ingress "$sg_id" -f value -c id
  value=$(field security group rule list "$sg_id" -c "Port Range" || true)
  check "security group lists the rule" grep -q "3306:3306" <<<"$value"

  # ---- Nova: boot with the port, a config drive and user data
  printf '#cloud-config\n# %s: user data for TroveJ smoke\nruncmd: [echo hello]\n' "$run" >"$tmp/user-data"
  user_data_b64=$(base64 -w0 "$tmp/user-data")
  t0=$SECONDS
  server_id=$(field server create --flavor ds512M --image "$image_id" --port "$port_id" --security-group "$sg_id" \
    --config-drive true --user-data "$tmp/user-data" --property trovej=smoke "$run-server" -c id || true)
  value=$(poll "ACTIVE" server show "$server_id" -c status || true)
  check "server boots with port + config drive + user data -> ACTIVE ($((SECONDS - t0)) s)" test "$value" = ACTIVE
  value=$(field server show "$server_id" -c OS-EXT-SRV-ATTR:user_data || true)
  check "server user data reads back byte for byte" test "$value" = "$user_data_b64"
  value=$(field server show "$server_id" -c config_drive || true)
  check "server has a config drive" grep -qiE '^(true|1)$' <<<"$value"
  value=$(field port show "$port_id" -c status -c binding_host_id || true)
  check "port bound to host $HOST and ACTIVE" test "$(echo $value)" = "$HOST ACTIVE" -o "$(echo $value)" = "ACTIVE $HOST"

  # ---- Cinder: create, attach, detach, extend (NfsDriver extends detached only), via Nova
  volume_id=$(field volume create --size 1 "$run-vol" -c id || true)
  value=$(poll available volume show "$volume_id" -c status || true)
  check "volume create 1 GB -> available" test "$value" = available
  os server add volume "$server_id" "$volume_id" >/dev/null || true
  value=$(poll in-use volume show "$volume_id" -c status || true)
  check "volume attach -> in-use" test "$value" = in-use
  os server remove volume "$server_id" "$volume_id" >/dev/null || true
  value=$(poll available volume show "$volume_id" -c status || true)
  check "volume detach -> available" test "$value" = available
  os volume set --size 2 "$volume_id" >/dev/null || true
  value=$(poll "available|error_extending" volume show "$volume_id" -c status || true)
  local size
  size=$(field volume show "$volume_id" -c size || true)
  check "volume extend to 2 GB -> available, size 2" test "$value/$size" = available/2

  # ---- Swift: a container, an object put and got back
  head -c 65536 /dev/urandom >"$tmp/object"
  os container create "$run-c" >/dev/null || true
  os object create "$run-c" "$tmp/object" --name blob >/dev/null || true
  os object save --file "$tmp/object.back" "$run-c" blob || true
  check "swift container create, object put and get byte for byte" cmp -s "$tmp/object" "$tmp/object.back"

  # ---- delete everything, then check nothing remains
  os server delete --wait "$server_id" || true
  os volume delete "$volume_id" || true
  os port delete "$port_id" 2>/dev/null || true
  os security group delete "$sg_id" || true
  os object delete "$run-c" blob || true
  os container delete "$run-c" || true
  local gone=1 started=$SECONDS
  while (( SECONDS - started < 60 )); do
    gone=1
    field volume list --name "$run-vol" -c ID | grep -q . && gone=0
    (( gone )) && break
    sleep 1
  done
  check "no server left" test -z "$(field server list --name "$run" -c ID || echo failed)"
  check "no volume left" test -z "$(field volume list --name "$run-vol" -c ID || echo failed)"
  check "no port left" test -z "$(field port list --name "$run-port" -c ID || echo failed)"
  check "no security group left" test -z "$(field security group list -c Name | grep -x "$run-sg" || true)"
  check "no container left" test -z "$(field container list --prefix "$run" || echo failed)"

  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}

smoke_main
