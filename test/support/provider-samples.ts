// Sample payloads of each provider's webhooks, written after the examples in their documentation
// (SendGrid "Event Webhook Reference", Mailgun "Webhook Payloads", Postmark "Webhooks", AWS "Examples of
// event data that Amazon SES publishes to Amazon SNS", Resend "Event Types", Brevo "Transactional
// webhooks"), with the fields clickrate reads. Times are parameters so tests can sign them as fresh.

const iso = (ms: number) => new Date(ms).toISOString();
const secs = (ms: number) => Math.floor(ms / 1000);

export const sendgrid = {
  processed: (t: number, extra: object = {}) => ({
    email: 'example@test.com', timestamp: secs(t), 'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>', event: 'processed',
    category: 'cat facts', sg_event_id: 'rbtnWrG1DVDGGGFHFyun0A==', sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0', ...extra,
  }),
  deferred: (t: number) => ({ email: 'example@test.com', timestamp: secs(t), event: 'deferred', response: '400 try again later', attempt: '5', sg_event_id: 'def1', sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0' }),
  delivered: (t: number, extra: object = {}) => ({
    email: 'example@test.com', timestamp: secs(t), event: 'delivered', category: 'cat facts', sg_event_id: 'rWVYmVk90MjZJ9iohOBa3w==',
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0', response: '250 OK', ...extra,
  }),
  bounce: (t: number, type: 'bounce' | 'blocked') => ({
    email: 'example@test.com', timestamp: secs(t), event: 'bounce', type, status: '5.0.0', reason: '500 unknown recipient', sg_event_id: `b-${type}`,
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
  }),
  open: (t: number, extra: object = {}) => ({
    email: 'example@test.com', timestamp: secs(t), event: 'open', sg_machine_open: false, useragent: 'Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)',
    ip: '255.255.255.255', sg_event_id: 'FOTFFO0ecsBE-zxFXfs6WA==', sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0', ...extra,
  }),
  click: (t: number, extra: object = {}) => ({
    email: 'example@test.com', timestamp: secs(t), event: 'click', ip: '255.255.255.255', useragent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36',
    url: 'http://www.sendgrid.com/', url_offset: { index: 0, type: 'html' }, sg_event_id: 'kCAi1KttyQdEKHhdC-nuEA==', sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0', ...extra,
  }),
  spamreport: (t: number) => ({ email: 'example@test.com', timestamp: secs(t), event: 'spamreport', sg_event_id: '37nvH5QBz858KGVYCM4uOA==', sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0' }),
  unsubscribe: (t: number) => ({ email: 'example@test.com', timestamp: secs(t), event: 'unsubscribe', sg_event_id: 'zz_BjPgU_5pS-J8vlfB1sg==', sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0' }),
};

export const mailgun = {
  event: (eventData: object, signature: object) => ({ signature, 'event-data': eventData }),
  delivered: (t: number) => ({
    id: 'CPgfbmQMTCKtHW6uIWtuVe', timestamp: t / 1000, 'log-level': 'info', event: 'delivered', recipient: 'alice@example.com', tags: ['my_tag_1'],
    'user-variables': { 'my-var-1': 'Mailgun Variable #1' }, message: { headers: { to: 'Alice <alice@example.com>', 'message-id': '20130503182626.18666.16540@sandbox.mailgun.org', from: 'Bob <bob@sandbox.mailgun.org>', subject: 'Test delivered webhook' } },
    'delivery-status': { code: 250, message: 'OK' }, flags: { 'is-routed': false },
  }),
  failed: (t: number, severity: 'permanent' | 'temporary') => ({
    id: `fail-${severity}`, timestamp: t / 1000, event: 'failed', severity, reason: severity === 'permanent' ? 'suppress-bounce' : 'generic', recipient: 'alice@example.com',
    message: { headers: { 'message-id': '20130503182626.18666.16540@sandbox.mailgun.org' } }, 'user-variables': {},
  }),
  opened: (t: number, bot = '') => ({
    id: `open-${bot || 'person'}`, timestamp: t / 1000, event: 'opened', recipient: 'alice@example.com', ip: '50.56.129.169', tags: ['my_tag_1'],
    'client-info': { 'client-type': 'browser', 'client-os': 'Linux', 'device-type': 'desktop', 'client-name': 'Chrome', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36', bot },
    message: { headers: { 'message-id': '20130503182626.18666.16540@sandbox.mailgun.org' } }, 'user-variables': {},
  }),
  clicked: (t: number) => ({
    id: 'Ase7i2zsRYeDXztHGENqRA', timestamp: t / 1000, event: 'clicked', recipient: 'alice@example.com', url: 'https://example.com/offer', ip: '50.56.129.169',
    'client-info': { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36', bot: '' },
    message: { headers: { 'message-id': '20130503182626.18666.16540@sandbox.mailgun.org' } }, 'user-variables': { clickrate_message: 'cr-msg-1' },
  }),
};

export const postmark = {
  delivery: (t: number) => ({
    RecordType: 'Delivery', ServerID: 23, MessageStream: 'outbound', MessageID: '00000000-0000-0000-0000-000000000000', Recipient: 'john@example.com', Tag: 'welcome-email',
    DeliveredAt: iso(t), Details: 'Test delivery webhook details', Metadata: { example: 'value', example_2: 'value' },
  }),
  bounce: (t: number, Type: string) => ({
    RecordType: 'Bounce', ID: 42, Type, TypeCode: 1, Name: Type, Tag: 'Test', MessageID: '00000000-0000-0000-0000-000000000000', ServerID: 23, MessageStream: 'outbound',
    Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).', Email: 'john@example.com', From: 'sender@example.com', BouncedAt: iso(t), Metadata: {},
  }),
  open: (t: number) => ({
    RecordType: 'Open', MessageStream: 'outbound', FirstOpen: true, Client: { Name: 'Chrome 35.0.1916.153' }, OS: { Name: 'OS X 10.7 Lion' }, Platform: 'WebMail',
    UserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36', ReadSeconds: 5,
    Geo: { IP: '188.2.95.4', City: 'Novi Sad' }, MessageID: '00000000-0000-0000-0000-000000000000', Metadata: { a_key: 'a_value' }, ReceivedAt: iso(t), Tag: 'welcome-email', Recipient: 'john@example.com',
  }),
  click: (t: number) => ({
    RecordType: 'Click', MessageStream: 'outbound', ClickLocation: 'HTML', Platform: 'Desktop', UserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5) Chrome/35.0 Safari/537.36',
    OriginalLink: 'https://example.com', Geo: { IP: '192.168.0.1' }, MessageID: '00000000-0000-0000-0000-000000000000', Metadata: {}, ReceivedAt: iso(t), Tag: 'welcome-email', Recipient: 'john@example.com',
  }),
  spam: (t: number) => ({ RecordType: 'SpamComplaint', ID: 43, Type: 'SpamComplaint', MessageID: '00000000-0000-0000-0000-000000000000', Email: 'john@example.com', BouncedAt: iso(t), Metadata: {} }),
  subscription: (t: number, reason: string) => ({
    RecordType: 'SubscriptionChange', MessageID: '00000000-0000-0000-0000-000000000000', ServerID: 23, MessageStream: 'outbound', ChangedAt: iso(t), Recipient: 'john@example.com',
    Origin: 'Recipient', SuppressSending: true, SuppressionReason: reason, Tag: 'my-tag', Metadata: {},
  }),
};

/** An SES event as the SNS Message's text. */
export const ses = {
  event: (eventType: string, t: number, detail: object = {}, tags: Record<string, string[]> = {}) =>
    JSON.stringify({
      eventType,
      mail: {
        timestamp: iso(t - 1000), source: 'sender@example.com', sendingAccountId: '123456789012', messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
        destination: ['recipient@example.com'], tags: { 'ses:configuration-set': ['ConfigSet'], ...tags },
      },
      [eventType.charAt(0).toLowerCase() + eventType.slice(1)]: { timestamp: iso(t), ...detail },
    }),
};

export const resend = {
  event: (type: string, t: number, data: object = {}) => ({
    type, created_at: iso(t),
    data: { created_at: iso(t - 1000), email_id: '56761188-7520-42d8-8898-ff6fc54ce618', from: 'Acme <onboarding@resend.dev>', to: ['delivered@resend.dev'], subject: 'Sending this example', tags: { category: 'confirm_email' }, ...data },
  }),
};

export const brevo = {
  event: (event: string, t: number, extra: object = {}) => ({
    event, email: 'example@example.com', id: 26224, date: '2020-10-09 00:00:00', ts: secs(t), 'message-id': '<202010081606.12345678901@smtp-relay.mailin.fr>', ts_event: secs(t),
    subject: 'My first Transactional', 'X-Mailin-custom': 'some_custom_header', sending_ip: '185.41.28.109', ts_epoch: t, tags: ['myFirstTransactional'], ...extra,
  }),
};
