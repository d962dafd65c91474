#!/bin/bash
# Entrypoint of the local ZooKeeper image (Debian's zookeeper package and a JRE, built by docker/service-images.sh),
# for machines that reach no container registry. It writes zoo.cfg from the variables the official zookeeper image
# takes (ZOO_TICK_TIME, ZOO_INIT_LIMIT, ZOO_SYNC_LIMIT, ZOO_MAX_CLIENT_CNXNS, ZOO_ADMINSERVER_ENABLED,
# ZOO_4LW_COMMANDS_WHITELIST, ZOO_AUTOPURGE_*, ZOO_CFG_EXTRA, ZOO_DATA_DIR, ZOO_DATA_LOG_DIR) plus ZOO_PORT (the
# client port) and ZOO_MAX_SESSION_TIMEOUT, then runs one standalone server in the foreground.
set -euo pipefail

conf_dir=${ZOO_CONF_DIR:-/conf}
data_dir=${ZOO_DATA_DIR:-/data}
log_dir=${ZOO_DATA_LOG_DIR:-/datalog}
mkdir -p "$conf_dir" "$data_dir" "$log_dir"
chown -R zookeeper:zookeeper "$data_dir" "$log_dir"

{
  echo "dataDir=$data_dir"
  echo "dataLogDir=$log_dir"
  echo "clientPort=${ZOO_PORT:-2181}"
  echo "tickTime=${ZOO_TICK_TIME:-2000}"
  echo "initLimit=${ZOO_INIT_LIMIT:-5}"
  echo "syncLimit=${ZOO_SYNC_LIMIT:-2}"
  echo "maxClientCnxns=${ZOO_MAX_CLIENT_CNXNS:-60}"
  echo "autopurge.snapRetainCount=${ZOO_AUTOPURGE_SNAPRETAINCOUNT:-3}"
  echo "autopurge.purgeInterval=${ZOO_AUTOPURGE_PURGEINTERVAL:-0}"
  echo "admin.enableServer=${ZOO_ADMINSERVER_ENABLED:-false}"
  echo "4lw.commands.whitelist=${ZOO_4LW_COMMANDS_WHITELIST:-srvr}"
  # The server grants sessions of at most maxSessionTimeout (20 ticks unless set): clients asking for longer get less.
  if [ -n "${ZOO_MAX_SESSION_TIMEOUT:-}" ]; then echo "maxSessionTimeout=$ZOO_MAX_SESSION_TIMEOUT"; fi
  for extra in ${ZOO_CFG_EXTRA:-}; do echo "$extra"; done
} > "$conf_dir/zoo.cfg"

if [ "${1:-}" = "zkServer.sh" ]; then
  # Java directly (not the wrapper's nohup/pid-file logic): the JVM is the container's main process and gets SIGTERM.
  # zookeeper.jar names its dependencies in its manifest; slf4j-simple is the one logging binding on the class path
  # (with all of /usr/share/java, several bindings are found and SLF4J then logs nothing).
  exec runuser -u zookeeper -- java -cp "$conf_dir:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$conf_dir/zoo.cfg"
fi
exec "$@"
