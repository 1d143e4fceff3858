import { LoginInput, RegisterInput, User } from '@ticketing/shared';
import { emptyResponse, jsonBody, jsonResponse, problems, sessionAuth, type OpenApiPaths } from '../openapi.helpers.js';

/** OpenAPI paths of the auth module (kept here until the auth module declares its own). */
export const authPaths: OpenApiPaths = {
  '/auth/register': {
    post: {
      tags: ['Auth'],
      operationId: 'register',
      summary: 'Create an account and start a session.',
      requestBody: jsonBody(RegisterInput),
      responses: { '201': jsonResponse(User, 'The new account; the session cookie is set.'), ...problems(400, 403, 409) },
    },
  },
  '/auth/login': {
    post: {
      tags: ['Auth'],
      operationId: 'login',
      summary: 'Sign in and start a fresh session.',
      requestBody: jsonBody(LoginInput),
      responses: { '200': jsonResponse(User, 'The account; the session cookie is set.'), ...problems(400, 401, 403) },
    },
  },
  '/auth/logout': {
    post: {
      tags: ['Auth'],
      operationId: 'logout',
      summary: 'End the session.',
      responses: { '204': emptyResponse('Signed out.'), ...problems(403) },
    },
  },
  '/auth/me': {
    get: {
      tags: ['Auth'],
      operationId: 'me',
      summary: 'The signed-in account.',
      security: sessionAuth,
      responses: { '200': jsonResponse(User, 'The account.'), ...problems(401) },
    },
  },
};
