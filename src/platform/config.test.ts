import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

/** The problems of a config that must fail; fails the test if it loads. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

const variableOf = (line: string) => line.split(':')[0];

describe('loadConfig', () => {
  // toMatchObject: later capabilities add their own variables; these are the foundation's.
  it('fills every default from an empty environment: production rules unless development is asked for', () => {
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'production',
      outboundAllowlist: 'none',
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      databaseUrl: undefined,
      redisUrl: undefined,
      logLevel: 'info',
      masterKeys: undefined,
      jwtKeys: undefined,
      tokenCacheTtlSeconds: 30,
      authFailuresPerIp: 30,
      authFailureWindowSeconds: 600,
      bodyLimitBytes: 1024 * 1024,
      trustProxy: false,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', REDIS_URL: '', PONTE_MASTER_KEYS: '', PONTE_JWT_KEYS: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      redisUrl: undefined,
      masterKeys: undefined,
      jwtKeys: undefined,
    });
  });

  it('reads explicit values', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      PONTE_DATA_DIR: '/var/lib/ponte',
      DATABASE_URL: 'postgres://ponte@db:5432/ponte',
      REDIS_URL: 'rediss://cache:6380',
      LOG_LEVEL: 'warn',
      PONTE_TOKEN_CACHE_TTL_SECONDS: '5',
      PONTE_TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      dataDir: '/var/lib/ponte',
      databaseUrl: 'postgres://ponte@db:5432/ponte',
      redisUrl: 'rediss://cache:6380',
      logLevel: 'warn',
      tokenCacheTtlSeconds: 5,
      trustProxy: true,
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://ponte@db/ponte', REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({
      databaseUrl: 'postgresql://ponte@db/ponte',
      redisUrl: 'redis://127.0.0.1:6379',
    });
  });

  it('reads PONTE_TRUST_PROXY as true/false, a hop count or the proxies’ addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PONTE_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ PONTE_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ PONTE_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ PONTE_TRUST_PROXY: ' 10.0.0.0/8, 192.168.1.10 ,::1 ' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.10', '::1']);
  });

  it('limits each token do cliente to 600 requests a minute on /clientes unless configured', () => {
    expect(loadConfig({}).clientesMaxPerTokenPerMinute).toBe(600);
    expect(loadConfig({ PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE: '50' }).clientesMaxPerTokenPerMinute).toBe(50);
  });

  it('runs the demo portal on the port after the simulator’s (a free one when that is 0) unless PONTE_PORTAL_PORT says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ simulatorPort: 3001, portalPort: 3002 });
    expect(loadConfig({ PONTE_SIMULATOR_PORT: '4101' }).portalPort).toBe(4102);
    expect(loadConfig({ PONTE_SIMULATOR_PORT: '0' }).portalPort).toBe(0);
    expect(loadConfig({ PONTE_SIMULATOR_PORT: '65535' }).portalPort).toBe(0);
    expect(loadConfig({ PONTE_PORTAL_PORT: '8088' }).portalPort).toBe(8088);
    expect(loadConfig({ PONTE_PORTAL_PORT: '' }).portalPort).toBe(3002);
    expect(problemsOf({ PONTE_PORTAL_PORT: '70000' }).map(variableOf)).toEqual(['PONTE_PORTAL_PORT']);
  });

  it('reports one line per bad variable, naming it', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(2);
    expect(problems.map(variableOf).sort()).toEqual(['LOG_LEVEL', 'PORT']);
  });

  it('reports a variable that breaks several rules only once', () => {
    expect(problemsOf({ PORT: '-1.5' }).map(variableOf)).toEqual(['PORT']);
    expect(problemsOf({ PONTE_TOKEN_CACHE_TTL_SECONDS: '-0.5' }).map(variableOf)).toEqual(['PONTE_TOKEN_CACHE_TTL_SECONDS']);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['PONTE_TOKEN_CACHE_TTL_SECONDS', '0'],
    ['PONTE_TOKEN_CACHE_TTL_SECONDS', '301'],
    ['PONTE_TRUST_PROXY', 'yes'],
    ['PONTE_TRUST_PROXY', '0'],
    ['PONTE_TRUST_PROXY', '10.0.0.0/33'],
    ['PONTE_TRUST_PROXY', '10.0.0.1,,10.0.0.2'],
    ['PONTE_TRUST_PROXY', 'none'],
    ['PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE', '0'],
    ['PONTE_BODY_LIMIT_BYTES', 'muito'],
  ])('rejects %s=%s', (variable, value) => {
    expect(problemsOf({ [variable]: value }).map(variableOf)).toEqual([variable]);
  });

  it.each([
    ['DATABASE_URL', 'mysql://ponte:hunter2@db/ponte'],
    ['DATABASE_URL', 'hunter2 is not a url'],
    ['REDIS_URL', 'http://:hunter2@cache:6379'],
    ['REDIS_URL', 'memcached://hunter2@cache'],
  ])('checks the scheme of %s without echoing its value', (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems.map(variableOf)).toEqual([variable]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('never echoes key material, even in an otherwise failing message', () => {
    const material = 'c2VncmVkby1kYS1wb250ZQ'.repeat(400);
    const problems = problemsOf({ PONTE_MASTER_KEYS: material, PONTE_JWT_KEYS: material, PORT: 'abc' });
    expect(problems.map(variableOf).sort()).toEqual(['PONTE_JWT_KEYS', 'PONTE_MASTER_KEYS', 'PORT']);
    const text = problems.join('\n');
    expect(text).not.toContain('c2VncmVkby1kYS1wb250ZQ');
    expect(text).toContain('abc');
  });

  it('puts every problem line in the error message', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      const { message, problems } = error as ConfigError;
      for (const line of problems) expect(message).toContain(line);
    }
  });
});
