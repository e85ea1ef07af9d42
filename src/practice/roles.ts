/** The staff roles of a practice. */
export type Role = 'registration-clerk' | 'summariser' | 'clinician' | 'practice-manager';

/** Every role, in the order the app lists them. */
export const ROLES: readonly Role[] = ['registration-clerk', 'summariser', 'clinician', 'practice-manager'];

/** What a member of staff may do in the app. */
export type Permission =
  /** Trace a patient on PDS and register them (which requests the record). */
  | 'register'
  /** See the incoming and outgoing worklists (status only, no clinical content). */
  | 'view-worklists'
  /** Open a received or integrated record's clinical content and documents. */
  | 'view-record'
  /** Integrate a received record, or reject it with a reason. */
  | 'decide-record'
  /** Recode, keep or remove degraded entries. */
  | 'work-degrades'
  /** Authorise the previous practice's medication as a new repeat, or end it. */
  | 'authorise-medication'
  /** Print tasks and the Lloyd George envelope of outgoing records. */
  | 'action-outgoing'
  /** Search the audit trail. */
  | 'read-audit'
  /** Keep the bank-holiday calendar. */
  | 'manage-calendar';

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  'registration-clerk': ['register', 'view-worklists', 'action-outgoing'],
  summariser: ['view-worklists', 'view-record', 'decide-record', 'work-degrades'],
  clinician: ['view-worklists', 'view-record', 'decide-record', 'work-degrades', 'authorise-medication'],
  'practice-manager': ['register', 'view-worklists', 'action-outgoing', 'read-audit', 'manage-calendar'],
};

/**
 * Whether a role carries a permission.
 *
 * @example
 * can('registration-clerk', 'decide-record') // false
 * can('clinician', 'authorise-medication') // true
 */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The role's name as staff read it. */
export function roleName(role: Role): string {
  switch (role) {
    case 'registration-clerk':
      return 'Registration clerk';
    case 'summariser':
      return 'Summariser';
    case 'clinician':
      return 'Clinician';
    case 'practice-manager':
      return 'Practice manager';
  }
}
