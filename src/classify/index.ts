// The classifier's public API (issue #4): import from here, not from the files behind it.
// Verdicts carry CLASSIFIER_VERSION so stored ones can be recomputed when the rules change.
export { classifyMessage, classifyAdEvent, classifyEvents, type ClassifiableEvent } from './classify.js';
export { CLASSIFIER_VERSION, DEFAULT_CLASSIFIER_CONFIG, classifierConfig, type ClassifierConfig, type SignalWeights } from './config.js';
export { describeReason, type Verdict } from './reasons.js';
export { IpRangeTable, defaultRangeTable, loadRangeTable, parseRangeFile, DEFAULT_RANGES_DIR, type RangeEntry, type RangeFile, type RangeKind, type RangeMatch, type IpMatches } from './ip-ranges.js';
export { uaSignal, type UaKind, type UaSignal } from './user-agent.js';
export { evaluate, type EvalCampaign, type EvalReport, type Confusion, type RateTriple } from './evaluate.js';
