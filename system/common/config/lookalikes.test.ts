import { ConfigError } from '../errors/errors';
import { loadConfig } from './config';
import { closestSettings, editDistance, lookalikeVariables, looksLikeASetting } from './lookalikes';
import { SETTING_NAMES } from './settings';
import { OTHER_VARIABLES } from './variables';

test('edit distance', () => {
  expect(editDistance('ZK_ROOT', 'ZK_ROOT')).toBe(0);
  expect(editDistance('DBAAS_TOKN', 'DBAAS_TOKEN')).toBe(1);
  expect(editDistance('RABITMQ_URI', 'RABBITMQ_URL')).toBe(2);
  expect(editDistance('', 'ABC')).toBe(3);
});

test.each([
  ['DBAAS_TOKN', ['DBAAS_TOKEN']],
  ['ZK_SESION_TIMEOUT_MS', ['ZK_SESSION_TIMEOUT_MS']],
  ['RABITMQ_URL', ['RABBITMQ_URL']],
  ['MAX_SLAVE', ['MAX_SLAVES']],
  ['ZK_ROOTS', ['ZK_ROOT']],
  ['log_level', ['LOG_LEVEL']],
  ['SCALE_INTERVAL', ['SCALE_INTERVAL_MS']],
  ['RPC_TIMEOUT_S', ['RPC_TIMEOUT_MS']],
  ['WORKER_COUNT', ['WORKER_RUNTIME', 'WORKER_BUNDLE', 'WORKER_FAKETIME']],
  ['RIDESHARE_URL', ['RIDESHARE_TIMEOUT_MS']],
  ['LOCAL_ZOOKEEPER_HOST', ['LOCAL_ZOOKEEPER_PORT']],
])('%s looks like a setting; the closest are %j', (name, closest) => {
  expect(looksLikeASetting(name)).toBe(true);
  expect(closestSettings(name).slice(0, closest.length)).toEqual(closest);
});

test('loadConfig refuses a look-alike with a ConfigError naming the closest settings', () => {
  expect(() => loadConfig({ DBAAS_TOKN: 'secret' })).toThrow(ConfigError);
  expect(() => loadConfig({ DBAAS_TOKN: 'secret' })).toThrow(/DBAAS_TOKN is not a setting \(closest: DBAAS_TOKEN\)/);
  expect(() => loadConfig({ WORKER_COUNT: '3', ZK_ROOTS: '/x' })).toThrow(/WORKER_COUNT is not a setting \(closest: WORKER_RUNTIME.*; ZK_ROOTS is not a setting \(closest: ZK_ROOT\)/);
});

test("other tools' variables, the project's own non-settings and the settings are not look-alikes", () => {
  const foreign = [
    ...['DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'DOCKER_BUILDKIT', 'DOCKER_CONTEXT', 'COMPOSE_PROJECT_NAME'],
    ...['npm_config_cache', 'npm_config_loglevel', 'npm_lifecycle_event', 'npm_package_name', 'npm_config_user_agent', 'INIT_CWD', 'JEST_WORKER_ID'],
    ...['TEST_RABBITMQ_URL', 'TEST_ZOOKEEPER_CONNECT', 'TEST_LOG_LEVEL', 'TESTCONTAINERS_RYUK_DISABLED', 'TESTCONTAINERS_HOST_OVERRIDE'],
    ...['RABBITMQ_NODENAME', 'RABBITMQ_NODE_PORT', 'RABBITMQ_MNESIA_BASE', 'RABBITMQ_LOG_BASE', 'RABBITMQ_CONFIG_FILE', 'RABBITMQ_HOME', 'RABBITMQ_LOGS'],
    ...['ZOOCFGDIR', 'ZOO_LOG_DIR', 'ZOOKEEPER_HOME', 'ZK_SERVER_HEAP', 'ZK_CLIENT_HEAP', 'SERVER_JVMFLAGS', 'JAVA_HOME', 'CLASSPATH'],
    ...['PATH', 'HOME', 'PWD', 'OLDPWD', 'USER', 'SHELL', 'TERM', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'HOSTNAME', 'SHLVL', '_', 'CI', 'DEBUG'],
    ...['NODE_ENV', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NODE_VERSION', 'YARN_VERSION', 'DEBIAN_FRONTEND', 'HTTP_PROXY', 'NO_PROXY', 'http_proxy'],
    ...['XDG_RUNTIME_DIR', 'XDG_DATA_DIRS', 'GITHUB_ACTIONS', 'GITHUB_WORKSPACE', 'RUNNER_TEMP', 'SSL_CERT_FILE', 'LOG_FORMAT', 'DATABASE_URL', 'PORT', 'HOST'],
  ];
  const known = [...Object.keys(OTHER_VARIABLES), ...SETTING_NAMES];
  expect([...foreign, ...known].filter(looksLikeASetting)).toEqual([]);
  // Nor is anything in the environment this test runs in (npm's, Jest's, the integration run's variables).
  expect(lookalikeVariables(process.env)).toEqual([]);
  expect(() => loadConfig(Object.fromEntries([...foreign, ...known.filter((n) => !SETTING_NAMES.includes(n as never))].map((n) => [n, 'x'])))).not.toThrow();
});

test('a variable that is set but undefined is ignored', () => {
  expect(lookalikeVariables({ DBAAS_TOKN: undefined })).toEqual([]);
});

test('settings and the other variables do not overlap', () => {
  expect(Object.keys(OTHER_VARIABLES).filter((n) => SETTING_NAMES.includes(n as never))).toEqual([]);
});
