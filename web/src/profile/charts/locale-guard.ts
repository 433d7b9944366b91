/** The browser's language if `Intl` accepts it, else its accepted part ("en-US@posix" → "en-US"), else "en-US". */
function acceptedLanguage(language: string): string {
  for (const candidate of [language, language.split(/[@.]/)[0]]) {
    try {
      new Intl.NumberFormat(candidate);
      return candidate;
    } catch {
      // not a tag Intl knows: try the next, shorter one
    }
  }
  return 'en-US';
}

if (typeof navigator !== 'undefined') {
  const accepted = acceptedLanguage(navigator.language ?? 'en-US');
  if (accepted !== navigator.language) Object.defineProperty(navigator, 'language', { value: accepted, configurable: true });
}

export {};
