/**
 * The demo's voice of the organisation (issue 13 §7), through the same services as the API: a
 * circular from the branch cascaded down its units with partial acknowledgement and some units
 * relayed, its public version to Lattakia city's households, a notice to an area's households,
 * templates, a venue and a seminar with a waiting list (one cancellation promoted someone),
 * and a meeting with minutes, decisions and open action items (one late). The message log
 * fills with every state once the gateway stand-in (started by `awn serve --demo`) answers.
 */
import type { Storage } from '../../db/connect.js';
import { systemActor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import {
  acknowledgeByLink,
  createCircular,
  publishCircular,
  relayCircular,
} from '../circulars/circulars.service.js';
import { createActionItem } from '../meetings/meetings.actions.js';
import {
  cancelRegistration,
  createMeeting,
  createVenue,
  register,
  saveMinutes,
} from '../meetings/meetings.service.js';
import { saveTemplate } from '../messaging/messaging.service.js';
import { sendNotice } from '../notices/notices.service.js';
import { readNames, seededRandom } from './demo.households.js';
import type { DemoSeed } from './demo.seed.js';

const templates = [
  {
    code: 'entitlement_ready',
    channel: 'sms' as const,
    body_ar: 'مخصصاتكم من {{commodity}} جاهزة في {{outlet}} حتى {{date}}.',
    body_en: 'Your {{commodity}} entitlement is ready at {{outlet}} until {{date}}.',
  },
  {
    code: 'team_tomorrow',
    channel: 'sms' as const,
    body_ar: 'سيزور فريق التوزيع التطوعي منطقتكم غداً {{date}}. يرجى إبراز البطاقة.',
    body_en:
      'A volunteer delivery team visits your area tomorrow, {{date}}. Please show your card.',
  },
  {
    code: 'collect_before_close',
    channel: 'sms' as const,
    body_ar: 'تنتهي دورة التوزيع في {{date}}. يرجى استلام مخصصاتكم قبل ذلك.',
    body_en:
      'The distribution cycle closes on {{date}}. Please collect your entitlement before then.',
  },
];

export interface DemoVoice {
  circularId: string;
  members: number;
  acknowledged: number;
  publicQueued: number;
  noticeQueued: number;
  seminarWaitlisted: number;
}

/** Seeds the circular, notices, templates, venue, seminar and meeting; once, after the crew. */
export async function seedDemoVoice(
  storage: Storage,
  seed: DemoSeed,
  config: { public_url: string },
  clock: Clock,
): Promise<DemoVoice> {
  const day = (offset: number) =>
    new Date(clock().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  for (const template of templates) await saveTemplate(storage, systemActor, template, clock);

  const circular = await createCircular(
    storage,
    systemActor,
    {
      title: 'تعميم: مواعيد التوزيع خلال حظر التجول',
      body: 'على جميع الوحدات الالتزام بمواعيد التوزيع الجديدة من الثامنة صباحاً حتى الثانية عشرة ظهراً، وارتداء الكمامات والقفازات أثناء التوزيع، وإبلاغ الأعضاء والمواطنين.',
      from_org_unit_id: seed.branchId,
      ack_required: true,
      due_at: new Date(clock().getTime() + 86_400_000).toISOString(),
      public: {
        body: 'مواعيد توزيع الخبز والمواد التموينية الجديدة من الثامنة حتى الثانية عشرة. يرجى الالتزام بالتباعد.',
        area_pcodes: ['SY060000'],
      },
    },
    clock,
  );
  const published = await publishCircular(storage, systemActor, circular.id, config, clock);
  // About half the volunteers acknowledge through their personal links.
  const links = await storage.db
    .selectFrom('messages')
    .select('body')
    .where('source_kind', '=', 'circular')
    .where('source_id', '=', circular.id)
    .where('channel', '=', 'sms')
    .orderBy('id')
    .execute();
  let acknowledged = 0;
  for (const [index, link] of links.entries()) {
    const token = /\/c\/([A-Za-z0-9_-]+)/u.exec(link.body)?.[1];
    if (!token || index % 2 === 1) continue;
    await acknowledgeByLink(storage, token, clock);
    acknowledged += 1;
  }
  for (const unitId of [...Object.values(seed.sectionIds), ...seed.unitIds.slice(0, 3)]) {
    await relayCircular(storage, systemActor, circular.id, unitId, true, clock);
  }

  const notice = await sendNotice(
    storage,
    systemActor,
    { template_code: 'team_tomorrow', area_pcodes: ['SY060001'], values: { date: day(1) } },
    clock,
  );

  const venue = await createVenue(
    storage,
    systemActor,
    {
      name_ar: 'قاعة الفرع',
      name_en: 'Branch hall',
      area_pcode: 'SY060000',
      floor_area_m2: 48,
      seats: 30,
    },
    clock,
  );
  const seminar = await createMeeting(
    storage,
    systemActor,
    {
      kind: 'seminar',
      title: 'ندوة التوعية بالوقاية من العدوى',
      venue_id: venue.id,
      starts_at: `${day(3)}T08:00:00Z`,
      ends_at: `${day(3)}T10:00:00Z`,
      org_unit_id: seed.branchId,
      agenda: 'طرق انتقال العدوى؛ استخدام الكمامات؛ التعقيم.',
    },
    clock,
  );
  const random = seededRandom(1313);
  const male = readNames('male-first--names-in-arabic.txt');
  const family = readNames('last-names-in-arabic.txt');
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] ?? 'مشارك';
  const registrations = [];
  for (let index = 0; index < seminar.capacity + 4; index += 1) {
    registrations.push(
      await register(
        storage,
        systemActor,
        seminar.id,
        {
          name: `${pick(male)} ${pick(family)}`,
          phone: `0944${String(100_000 + index).padStart(6, '0')}`,
        },
        clock,
      ),
    );
  }
  const firstConfirmed = registrations.find((registration) => registration.status === 'confirmed');
  if (firstConfirmed)
    await cancelRegistration(storage, systemActor, seminar.id, firstConfirmed.id, clock);

  const meeting = await createMeeting(
    storage,
    systemActor,
    {
      kind: 'meeting',
      title: 'اجتماع تنسيق توزيع معدات الوقاية',
      venue_id: venue.id,
      starts_at: `${day(-5)}T09:00:00Z`,
      ends_at: `${day(-5)}T10:30:00Z`,
      org_unit_id: seed.branchId,
      agenda: 'تسليم الكمامات المعقمة؛ مخزون العاملين الميدانيين؛ مقرات الورشات.',
    },
    clock,
  );
  await saveMinutes(
    storage,
    systemActor,
    meeting.id,
    {
      minutes:
        'ناقش الاجتماع تسليم الكمامات بعد معاينة مديرية الصحة وتعقيمها، والاحتفاظ بجزء للعاملين الميدانيين، والبحث عن مقرات لتوسيع الورشات.',
      decisions: [
        'تسليم 10000 كمامة معقمة',
        'الاحتفاظ بـ 1000 كمامة للعاملين الميدانيين',
        'معاينة مقرين مرشحين للورشات',
      ],
    },
    clock,
  );
  await createActionItem(
    storage,
    systemActor,
    meeting.id,
    { title: 'تسليم الكمامات للمديرية', owner_name: 'أمين المستودع', due_on: day(-2) },
    clock,
  );
  await createActionItem(
    storage,
    systemActor,
    meeting.id,
    { title: 'تقرير توزيع معدات الوقاية', owner_name: 'منسق الفرع', due_on: day(4) },
    clock,
  );
  await createActionItem(
    storage,
    systemActor,
    meeting.id,
    { title: 'زيارة المقرات المرشحة', owner_name: 'منسق الفرع', due_on: day(7) },
    clock,
  );

  return {
    circularId: circular.id,
    members: published.members,
    acknowledged,
    publicQueued: published.public_queued,
    noticeQueued: notice.queued,
    seminarWaitlisted:
      registrations.filter((registration) => registration.status === 'waitlisted').length - 1,
  };
}
