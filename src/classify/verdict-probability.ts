// A stored verdict's probability, recomputed from its reason codes: the store keeps the codes, and each
// code names the weight it was given, so `explain` and reports can show the probability without a column.
import { DEFAULT_CLASSIFIER_CONFIG, type ClassifierConfig, type SignalWeights } from './config.js';
import { machineProbability } from './reasons.js';

const WEIGHT_OF: Record<string, keyof SignalWeights> = {
  'provider-flag': 'providerFlag',
  'apple-mpp-proxy': 'appleMppUa',
  'apple-ip': 'appleIpOpen',
  'apple-mail-proxy': 'appleMailProxy',
  'security-vendor-ip': 'securityVendorIp',
  'datacenter-ip': 'datacenterIp',
  'crawler-ua': 'crawlerUa',
  'scripted-ua': 'scriptedUa',
  'empty-ua': 'emptyUa',
  'bare-ua': 'bareUaClick',
  'head-request': 'headRequest',
  'human-image-proxy': 'humanImageProxy',
  'same-machine': 'sameMachine',
  'late-burst': 'burstPair',
  'before-human-possible': 'beforeHumanPossible',
  early: 'earlyAfterDelivery',
  'late-proxy-open': 'lateProxyOpen',
  'late-proxy-click': 'lateProxyClick',
  'old-browser': 'oldBrowser',
  'open-then-click': 'openThenClick',
  'later-other-client': 'laterOtherClient',
  'same-client-later': 'sameClientLater',
  honeypot: 'honeypot',
  'honeypot-learned': 'honeypotLearned',
  'shared-client': 'sharedClient',
};

/**
 * The probability `classifyMessage` gave a verdict with these reasons, under `config`; null when a code
 * is unknown to these rules (a verdict of another classifier version: recompute it).
 */
export function probabilityFromReasons(codes: readonly string[], config: ClassifierConfig = DEFAULT_CLASSIFIER_CONFIG): number | null {
  const w = config.weights;
  let score = 0;
  let timingAlone = false;
  for (const code of codes) {
    const i = code.indexOf(':');
    const key = i < 0 ? code : code.slice(0, i);
    const detail = i < 0 ? '' : code.slice(i + 1);
    if (key === 'timing-alone') timingAlone = true;
    else if (key === 'burst') score += Number.parseInt(detail, 10) >= config.burstStrongLinks ? w.burstStrong : w.burstPair;
    // With Apple's bare agent the address was shown, not counted (request-signals.ts).
    else if (key === 'apple-ip') score += codes.includes('apple-mpp-proxy') ? 0 : w.appleIpOpen;
    else if (WEIGHT_OF[key] !== undefined) score += w[WEIGHT_OF[key]];
    else return null;
  }
  score = Math.round(score * 1000) / 1000;
  return machineProbability(score, config.threshold, timingAlone);
}
