/**
 * The few IPP operations the booth needs, written by hand on Node's http/https.
 *
 * Why no library: the `ipp` npm package has had no release in years, and the booth needs only
 * five operations. RFC 8010's encoding is small enough to own, and it is tested byte for byte
 * and against a real IPP Everywhere printer (ippeveprinter).
 */
import { IppError } from './ipp-error.ts';
import { decodeIppMessage, encodeIppMessage } from './ipp-encoding.ts';
import type { IppAttribute, IppGroup, IppMessage } from './ipp-message.ts';
import { jobStateKeywords, toPlainAttributes, type PlainAttributes } from './ipp-plain.ts';
import { isSuccessStatus, statusName } from './ipp-status.ts';
import { GroupTag, Operation, ValueTag } from './ipp-tags.ts';
import { postIpp } from './ipp-transport.ts';
import { parseIppUrl, type IppTarget } from './ipp-url.ts';

export type IppJobState = (typeof jobStateKeywords)[keyof typeof jobStateKeywords];

export interface IppClientOptions {
  /** Per request; a print job's upload counts too, so leave room for a few MB over Wi-Fi. */
  readonly timeoutMs?: number;
  /** PEM CA certificate(s) to trust for ipps:// (CUPS and printers mostly self-sign). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Sent as requesting-user-name unless a job names its own. */
  readonly userName?: string;
}

export interface IppPrintJobRequest {
  readonly jobName: string;
  readonly document: Buffer;
  readonly format: 'image/jpeg';
  readonly copies?: number;
  /** PWG self-describing media name, e.g. 'na_index-4x6_4x6in'. */
  readonly media?: string;
  readonly requestingUserName?: string;
}

export interface IppJob {
  readonly jobId: number;
  readonly jobUri: string;
  readonly jobState: IppJobState;
}

export interface IppJobStatus {
  readonly jobState: IppJobState;
  readonly reasons: readonly string[];
}

/** The outcome of an operation the printer may legitimately refuse. */
export interface IppStatus {
  readonly ok: boolean;
  readonly status: number;
  readonly statusName: string;
  readonly message: string | null;
}

const jobStates: readonly IppJobState[] = Object.values(jobStateKeywords);

export class IppClient {
  readonly #target: IppTarget;
  readonly #options: Required<Pick<IppClientOptions, 'timeoutMs' | 'userName'>> & IppClientOptions;
  #requestId = 0;

  constructor(url: string, options: IppClientOptions = {}) {
    this.#target = parseIppUrl(url);
    this.#options = { timeoutMs: 10_000, userName: 'kiosk', ...options };
  }

  /** The printer-uri this client sends (ipp/ipps form). */
  get printerUri(): string {
    return this.#target.printerUri;
  }

  /** Without a list, asks for 'all' plus media-col-ready, which 'all' leaves out on some printers. */
  async getPrinterAttributes(requested?: readonly string[]): Promise<PlainAttributes> {
    const response = await this.#call(Operation.getPrinterAttributes, [
      keywords('requested-attributes', requested ?? ['all', 'media-col-ready']),
    ]);
    return toPlainAttributes(attributesOf(response, GroupTag.printer));
  }

  async printJob(job: IppPrintJobRequest): Promise<IppJob> {
    const jobAttributes: IppAttribute[] = [];
    if (job.copies !== undefined) jobAttributes.push(integer('copies', job.copies));
    if (job.media !== undefined) jobAttributes.push(text(ValueTag.keyword, 'media', job.media));
    const response = await this.#call(
      Operation.printJob,
      [
        text(
          ValueTag.nameWithoutLanguage,
          'requesting-user-name',
          job.requestingUserName ?? this.#options.userName,
        ),
        text(ValueTag.nameWithoutLanguage, 'job-name', job.jobName),
        text(ValueTag.mimeMediaType, 'document-format', job.format),
      ],
      jobAttributes,
      job.document,
    );
    const attributes = toPlainAttributes(attributesOf(response, GroupTag.job));
    const jobId = attributes['job-id'];
    const jobUri = attributes['job-uri'];
    if (typeof jobId !== 'number' || typeof jobUri !== 'string') {
      throw new IppError('bad-response', 'Print-Job succeeded but the response has no job-id or job-uri');
    }
    return { jobId, jobUri, jobState: jobStateOf(attributes) };
  }

  async getJobAttributes(jobId: number): Promise<IppJobStatus> {
    const response = await this.#call(Operation.getJobAttributes, [
      integer('job-id', jobId),
      text(ValueTag.nameWithoutLanguage, 'requesting-user-name', this.#options.userName),
      keywords('requested-attributes', ['job-state', 'job-state-reasons']),
    ]);
    const attributes = toPlainAttributes(attributesOf(response, GroupTag.job));
    const reasons = attributes['job-state-reasons'];
    return {
      jobState: jobStateOf(attributes),
      reasons: (Array.isArray(reasons) ? reasons : [reasons]).filter(
        (r): r is string => typeof r === 'string',
      ),
    };
  }

  /**
   * Resume-Printer needs operator rights on CUPS and is optional on IPP Everywhere printers,
   * so a refusal is an answer, not an error: the caller decides what to show the operator.
   */
  async resumePrinter(): Promise<IppStatus> {
    const response = await this.#exchange(Operation.resumePrinter, [
      text(ValueTag.nameWithoutLanguage, 'requesting-user-name', this.#options.userName),
    ]);
    return statusOf(response);
  }

  async cancelJob(jobId: number): Promise<void> {
    await this.#call(Operation.cancelJob, [
      integer('job-id', jobId),
      text(ValueTag.nameWithoutLanguage, 'requesting-user-name', this.#options.userName),
    ]);
  }

  /** Sends a request and throws IppError('refused') unless the status is a success. */
  async #call(
    operation: number,
    operationAttributes: IppAttribute[],
    jobAttributes: IppAttribute[] = [],
    data: Buffer = Buffer.alloc(0),
  ): Promise<IppMessage> {
    const response = await this.#exchange(operation, operationAttributes, jobAttributes, data);
    const status = statusOf(response);
    if (!status.ok) {
      const detail = status.message ? `: ${status.message}` : '';
      throw new IppError(
        'refused',
        `printer ${this.#target.printerUri} refused operation 0x${operation.toString(16).padStart(4, '0')} with ${status.statusName}${detail}`,
        status.status,
      );
    }
    return response;
  }

  async #exchange(
    operation: number,
    operationAttributes: IppAttribute[],
    jobAttributes: IppAttribute[] = [],
    data: Buffer = Buffer.alloc(0),
  ): Promise<IppMessage> {
    // Charset, language and printer-uri must come first, in this order (RFC 8011 §4.1.4).
    const groups: IppGroup[] = [
      {
        tag: GroupTag.operation,
        attributes: [
          text(ValueTag.charset, 'attributes-charset', 'utf-8'),
          text(ValueTag.naturalLanguage, 'attributes-natural-language', 'en'),
          text(ValueTag.uri, 'printer-uri', this.#target.printerUri),
          ...operationAttributes,
        ],
      },
    ];
    if (jobAttributes.length > 0) groups.push({ tag: GroupTag.job, attributes: jobAttributes });
    this.#requestId = (this.#requestId % 0x7fffffff) + 1;
    const request: IppMessage = {
      version: [1, 1],
      code: operation,
      requestId: this.#requestId,
      groups,
      data,
    };
    const body = await postIpp(this.#target.httpUrl, encodeIppMessage(request), {
      timeoutMs: this.#options.timeoutMs,
      ...(this.#options.ca ? { ca: this.#options.ca } : {}),
    });
    const response = decodeIppMessage(body);
    if (response.requestId !== request.requestId) {
      throw new IppError(
        'bad-response',
        `response request-id ${response.requestId} does not match request ${request.requestId}`,
      );
    }
    return response;
  }
}

function attributesOf(message: IppMessage, tag: number): IppAttribute[] {
  return message.groups.filter((group) => group.tag === tag).flatMap((group) => group.attributes);
}

function statusOf(response: IppMessage): IppStatus {
  const message = toPlainAttributes(attributesOf(response, GroupTag.operation))['status-message'];
  return {
    ok: isSuccessStatus(response.code),
    status: response.code,
    statusName: statusName(response.code),
    message: typeof message === 'string' ? message : null,
  };
}

function jobStateOf(attributes: PlainAttributes): IppJobState {
  const state = attributes['job-state'];
  // toPlainAttributes already names known enums; a number here is a state outside RFC 8011.
  if (typeof state === 'string' && jobStates.includes(state as IppJobState)) {
    return state as IppJobState;
  }
  throw new IppError(
    'bad-response',
    `job-state ${JSON.stringify(state)} is missing or not an RFC 8011 job state`,
  );
}

function text(tag: number, name: string, value: string): IppAttribute {
  return { name, tag, values: [value] };
}

function integer(name: string, value: number): IppAttribute {
  return { name, tag: ValueTag.integer, values: [value] };
}

function keywords(name: string, values: readonly string[]): IppAttribute {
  return { name, tag: ValueTag.keyword, values };
}
