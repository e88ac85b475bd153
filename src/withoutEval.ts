/**
 * The page's Content-Security-Policy forbids eval, and zod compiles each object schema into a
 * function with `new Function` unless told not to: this module turns that off. It is imported
 * first by each entry point (the page, the training worker), because zod reads the setting when a
 * schema is built, and schemas are built as their modules load.
 */
import { config } from 'zod';

config({ jitless: true });
