import { describe, expect, it } from 'vitest';
import type { IndexHtmlTransformHook } from 'vite';
import config, { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../vite.config';

describe('the Content-Security-Policy of the built site', () => {
  const policy = new Map(
    CONTENT_SECURITY_POLICY.split('; ').map((d) => {
      const [name, ...sources] = d.split(' ');
      return [name!, sources];
    }),
  );

  it('allows only the site itself to run scripts and workers, and no eval', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('worker-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('goes first into the built index.html, and only into the build', () => {
    const plugin = contentSecurityPolicy();
    expect(plugin.apply).toBe('build');
    const transform = plugin.transformIndexHtml as IndexHtmlTransformHook;
    const tags = transform.call(undefined as never, '', {} as never);
    expect(tags).toEqual([
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ]);
    expect(config.plugins?.flat().some((p) => p && 'name' in p && p.name === plugin.name)).toBe(
      true,
    );
  });

  it('is sent as a header by the preview server, so that it covers the worker too', () => {
    expect(config.preview?.headers?.['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});
