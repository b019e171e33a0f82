// The page's one import of Preact, hooks and htm: htm's standalone bundle, a single ES module with
// no bare imports, so no import map (an inline script the CSP would refuse) is needed. The `?v=`
// is the npm version from package.json: such URLs are cached for a year (docs/web.md).
export {
  html, render, useState, useEffect, useRef, useMemo, useCallback,
} from './node_modules/htm/preact/standalone.module.js?v=3.1.1';
