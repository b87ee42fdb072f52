/**
 * The texts Awn sends by itself when the office has not written its own template under the
 * same code (PUT /message-templates replaces them). Placeholders as {{name}}.
 */
import type { MessageChannel } from '../../shared/vocabulary.js';

export interface DefaultTemplate {
  channel: MessageChannel;
  subject_ar: string | null;
  subject_en: string | null;
  body_ar: string;
  body_en: string;
}

export const defaultTemplates: Readonly<Record<string, DefaultTemplate>> = {
  meeting_promoted: {
    channel: 'sms',
    subject_ar: 'تأكيد التسجيل',
    subject_en: 'Registration confirmed',
    body_ar: 'تأكد مكانكم في {{title}} بتاريخ {{starts_at}}.',
    body_en: 'Your place at {{title}} on {{starts_at}} is confirmed.',
  },
  circular_member_sms: {
    channel: 'sms',
    subject_ar: null,
    subject_en: null,
    body_ar: 'تعميم: {{title}}. للاطلاع والتأكيد: {{link}}',
    body_en: 'Circular: {{title}}. Read and acknowledge: {{link}}',
  },
  circular_reminder_sms: {
    channel: 'sms',
    subject_ar: null,
    subject_en: null,
    body_ar: 'تذكير: لم تؤكدوا الاطلاع على التعميم {{title}}: {{link}}',
    body_en: 'Reminder: please acknowledge the circular {{title}}: {{link}}',
  },
  circular_reminder_inbox: {
    channel: 'inbox',
    subject_ar: 'تذكير بتعميم',
    subject_en: 'Circular reminder',
    body_ar: 'لم تؤكدوا بعد الاطلاع على التعميم "{{title}}".',
    body_en: 'You have not yet acknowledged the circular "{{title}}".',
  },
  circular_lagging_units: {
    channel: 'inbox',
    subject_ar: 'وحدات متأخرة في تأكيد تعميم',
    subject_en: 'Units late acknowledging a circular',
    body_ar: 'وحدات لم يؤكد جميع أعضائها التعميم "{{title}}": {{units}}',
    body_en: 'Units whose members have not all acknowledged "{{title}}": {{units}}',
  },
  action_item_due: {
    channel: 'inbox',
    subject_ar: 'مهمة تستحق قريباً',
    subject_en: 'An action item is due soon',
    body_ar: 'المهمة "{{title}}" من {{meeting}} تستحق في {{due_on}}.',
    body_en: 'The action item "{{title}}" from {{meeting}} is due on {{due_on}}.',
  },
  action_item_late: {
    channel: 'inbox',
    subject_ar: 'مهمة متأخرة',
    subject_en: 'An action item is late',
    body_ar: 'المهمة "{{title}}" من {{meeting}} تأخرت عن موعدها {{due_on}}.',
    body_en: 'The action item "{{title}}" from {{meeting}} was due on {{due_on}}.',
  },
};
