// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// Combobox sizes its menu with canvas measureText, which jsdom lacks; the scaffold's
// stub returns no context at all. A fixed-width font is close enough for tests.
HTMLCanvasElement.prototype.getContext = () => ({
  measureText: (text) => ({ width: String(text).length * 8 }),
});

// Combobox's scroll indicators observe their list; jsdom has no observers.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = global.IntersectionObserver ?? NoopObserver;
global.ResizeObserver = global.ResizeObserver ?? NoopObserver;

// Virtualised lists (Combobox menus) render only what fits their measured size, and
// every element measures 0×0 in jsdom: give elements a size so options render.
Object.defineProperties(HTMLElement.prototype, {
  clientHeight: { configurable: true, get: () => 400 },
  clientWidth: { configurable: true, get: () => 400 },
});

// i18next (initialised by @grafana/i18n) advertises itself on console.info once per suite.
const consoleInfo = console.info;
console.info = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('i18next is made possible by')) {
    return;
  }
  consoleInfo(...args);
};
