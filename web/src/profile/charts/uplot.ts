/*
 * uPlot, loaded after the locale guard: uPlot builds an `Intl.NumberFormat(navigator.language)`
 * when its module is evaluated, and some browsers report a language that `Intl` rejects (a
 * Chromium started under a POSIX locale says "en-US@posix"), which would throw and leave the
 * statistics tab without charts.
 */
import './locale-guard';
import uPlot from 'uplot';

export default uPlot;
