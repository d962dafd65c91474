import { isAdminRequest, routeFor } from './routing';

test('routes by path: users and rides, and nothing else', () => {
  expect(routeFor('/api/v1/users')).toEqual({ service: 'users' });
  expect(routeFor('/api/v1/users/alice')).toEqual({ service: 'users' });
  expect(routeFor('/api/v1/rides?source=1&destination=2')).toEqual({ service: 'rides' });
  expect(routeFor('/api/v1/rides/count')).toEqual({ service: 'rides' });
  expect(routeFor('/api/v1/rides/12')).toEqual({ service: 'rides' });
  expect(routeFor('/api/v1/usersx')).toBeUndefined();
  expect(routeFor('/api/v1/db/read')).toBeUndefined();
  expect(routeFor('/')).toBeUndefined();
});

test('_count and db/clear go to the service named by ?service=', () => {
  expect(routeFor('/api/v1/_count?service=users')).toEqual({ service: 'users' });
  expect(routeFor('/api/v1/_count?service=rides')).toEqual({ service: 'rides' });
  expect(routeFor('/api/v1/_count')).toEqual({ error: expect.stringMatching(/service=users/) });
  expect(routeFor('/api/v1/_count?service=orchestrator')).toEqual({ error: expect.stringMatching(/unknown service/) });
  expect(routeFor('/api/v1/db/clear')).toEqual({ service: 'users' });
  expect(routeFor('/api/v1/db/clear?service=rides')).toEqual({ service: 'rides' });
});

test('db/clear and DELETE _count are admin requests; the rest of the API is public', () => {
  expect(isAdminRequest('POST', '/api/v1/db/clear')).toBe(true);
  expect(isAdminRequest('POST', '/api/v1/db/clear?service=rides')).toBe(true);
  expect(isAdminRequest('GET', '/api/v1/db/clear')).toBe(true);
  expect(isAdminRequest('DELETE', '/api/v1/_count?service=users')).toBe(true);
  expect(isAdminRequest('delete', '/api/v1/_count')).toBe(true);
  expect(isAdminRequest('GET', '/api/v1/_count?service=users')).toBe(false);
  expect(isAdminRequest('DELETE', '/api/v1/users/alice')).toBe(false);
  expect(isAdminRequest('POST', '/api/v1/rides')).toBe(false);
  expect(isAdminRequest('POST', '/api/v1/db/clearx')).toBe(false);
});
