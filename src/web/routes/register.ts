import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '../../practice/accounts.ts';
import { type FieldError, field } from '../../practice/form-errors.ts';
import { registerPatient, type TraceResult, tracePatient } from '../../practice/registration.ts';
import { parseTraceForm, type TraceRequest } from '../../practice/registration-form.ts';
import { allowed, audit, page, type WebContext } from '../web-context.ts';

const ODS = /^[A-Z0-9]{3,10}$/;

/** Registration: the PDS trace form, the match beside what was typed, the one-chance confirmation. */
export function registerRegisterRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/register', async (req, reply) => {
    if (!(await allowed(ctx, req, reply, 'register'))) return;
    return page(ctx, req, reply, 'register.njk', { title: 'Register a patient', form: {} });
  });

  app.post('/register', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'register');
    if (!m) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseTraceForm(body, ctx.clock.now());
    if (!parsed.ok)
      return page(
        ctx,
        req,
        reply,
        'register.njk',
        { title: 'Register a patient', form: body, errors: parsed.errors },
        400,
      );
    const result = await tracePatient(ctx.engine, m.practiceOds, parsed.value);
    await traceAudit(ctx, m, parsed.value, result);
    return resultPage(ctx, req, reply, parsed.value, result, []);
  });

  app.post('/register/confirm', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'register');
    if (!m) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseTraceForm(body, ctx.clock.now());
    const nhsNumber = field(body, 'tracedNhsNumber');
    if (!parsed.ok || !nhsNumber)
      return page(
        ctx,
        req,
        reply,
        'register.njk',
        { title: 'Register a patient', form: body, errors: parsed.ok ? [] : parsed.errors },
        400,
      );
    // Trace again by the NHS number found: what is registered is what PDS holds now, never a stale page.
    const typed: TraceRequest = { ...parsed.value, nhsNumber };
    const result = await tracePatient(ctx.engine, m.practiceOds, typed);
    if (result.kind !== 'match' || !result.confirmable || result.blocked)
      return resultPage(ctx, req, reply, parsed.value, result, []);
    const errors: FieldError[] = [];
    if (field(body, 'confirm') !== 'yes')
      errors.push({ field: 'confirm', message: 'Confirm that you have checked this is the right patient' });
    const previous = field(body, 'previousPractice').toUpperCase();
    if (result.patient.restricted && !ODS.test(previous))
      errors.push({
        field: 'previousPractice',
        message:
          'Enter the ODS code of the patient’s previous practice, like A12345 (PDS withholds it for this patient)',
      });
    if (errors.length) return resultPage(ctx, req, reply, parsed.value, result, errors, previous);
    const outcome = await registerPatient(ctx.engine, {
      practiceOds: m.practiceOds,
      nhsNumber,
      actor: m.id,
      ...(result.patient.restricted ? { previousPracticeOds: previous } : {}),
    });
    if (outcome.kind !== 'refused')
      await audit(ctx, m, {
        action: 'register',
        nhsNumber,
        transferId: outcome.transfer.id,
        detail:
          outcome.kind === 'requested'
            ? `registered; record requested from ${outcome.transfer.peerOds}`
            : `registered; ${outcome.message}`,
      });
    else
      await audit(ctx, m, {
        action: 'register',
        nhsNumber,
        detail: `registration refused: ${outcome.message}`,
      });
    return page(
      ctx,
      req,
      reply,
      'register-done.njk',
      {
        title: outcome.kind === 'refused' ? 'Registration not made' : 'Patient registered',
        outcome,
        nhsNumber,
      },
      outcome.kind === 'refused' ? 409 : 200,
    );
  });
}

function resultPage(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  typed: TraceRequest,
  result: TraceResult,
  errors: FieldError[],
  previousPractice = '',
) {
  const [year, month, day] = typed.birthDate.split('-');
  return page(
    ctx,
    req,
    reply,
    'register-result.njk',
    {
      title: result.kind === 'match' ? 'Check the patient' : 'No single match',
      typed,
      hidden: {
        nhsNumber: typed.nhsNumber ?? '',
        family: typed.family,
        given: typed.given,
        'dob[day]': String(Number(day)),
        'dob[month]': String(Number(month)),
        'dob[year]': year,
        gender: typed.gender,
        postcode: typed.postalCode,
      },
      result,
      errors,
      previousPractice,
    },
    errors.length ? 400 : 200,
  );
}

function traceAudit(ctx: WebContext, m: StaffMember, typed: TraceRequest, result: TraceResult) {
  const how = typed.nhsNumber ? 'by NHS number' : 'by demographics';
  return audit(ctx, m, {
    action: 'pds-trace',
    ...(result.kind === 'match'
      ? { nhsNumber: result.patient.nhsNumber }
      : typed.nhsNumber
        ? { nhsNumber: typed.nhsNumber }
        : {}),
    detail: `PDS trace ${how}: ${result.kind}`,
  });
}
