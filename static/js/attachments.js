// The files kept with an asset or a project (issue 12): a strip of photo thumbnails (a click
// shows the full picture), a list of documents (name, category, size, uploader, date, download)
// and, for analysts, an upload with its progress. The server tells each file's type by its
// content and makes the thumbnails; this module only shows what it answers.
import { h, $, toast } from './dom.js';
import { t, date, num, addWords } from './i18n.js';
import { getJSON, sendJSON } from './api.js';

addWords('zh', {
  'att.title': '附件', 'att.photos': '照片', 'att.docs': '文件', 'att.none': '暂无附件', 'att.loadFailed': '附件加载失败',
  'att.file': '选择文件', 'att.category': '类别', 'att.note': '备注', 'att.upload': '上传附件', 'att.uploading': '正在上传 {p}%',
  'att.uploaded': '附件已上传', 'att.delete': '删除', 'att.deleted': '附件已删除', 'att.confirmDelete': '删除附件“{name}”？',
  'att.download': '下载', 'att.noFile': '请先选择文件', 'att.close': '关闭', 'att.types': '支持 PDF、JPEG、PNG、HEIC、Word、Excel',
  'att.cat.deed': '权证', 'att.cat.contract': '合同', 'att.cat.appraisal': '评估报告', 'att.cat.photo': '现场照片', 'att.cat.other': '其他',
});
addWords('en', {
  'att.title': 'Attachments', 'att.photos': 'Photos', 'att.docs': 'Documents', 'att.none': 'No attachments', 'att.loadFailed': 'Attachments could not be loaded',
  'att.file': 'Choose a file', 'att.category': 'Category', 'att.note': 'Note', 'att.upload': 'Upload', 'att.uploading': 'Uploading {p}%',
  'att.uploaded': 'Attachment uploaded', 'att.delete': 'Delete', 'att.deleted': 'Attachment deleted', 'att.confirmDelete': 'Delete the attachment “{name}”?',
  'att.download': 'Download', 'att.noFile': 'Choose a file first', 'att.close': 'Close', 'att.types': 'PDF, JPEG, PNG, HEIC, Word, Excel',
  'att.cat.deed': 'Title deed', 'att.cat.contract': 'Contract', 'att.cat.appraisal': 'Appraisal', 'att.cat.photo': 'Site photo', 'att.cat.other': 'Other',
});

const CATEGORIES = ['photo', 'deed', 'contract', 'appraisal', 'other'];
const base = (owner) => `/api/v1/${owner.kind}s/${encodeURIComponent(owner.id)}/attachments`;
const fileURL = (a) => `/api/v1/attachments/${a.id}`;

/** size formats a byte count as B, KB or MB. */
function size(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${num(n / 1024, 0)} KB`;
  return `${num(n / 1024 / 1024, 1)} MB`;
}

/** lightbox shows a picture over the page; a click or Escape closes it. */
function lightbox(a) {
  const close = () => { box.remove(); document.removeEventListener('keydown', onKey); };
  const onKey = (e) => { if (e.key === 'Escape') close(); };
  const box = h('div', { class: 'att-lightbox', role: 'dialog', 'aria-label': a.filename, 'data-test': 'att-lightbox', onclick: close },
    h('img', { src: fileURL(a), alt: a.filename }),
    h('div', { class: 'att-caption' }, `${a.filename}${a.note ? ` · ${a.note}` : ''}`),
    h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('att.close') }, '×'));
  document.addEventListener('keydown', onKey);
  document.body.append(box);
}

/** AttachmentsBlock is the 附件 section of a panel for owner {kind: 'asset'|'project', id}. */
class AttachmentsBlock {
  constructor(owner, canEdit) {
    this.owner = owner;
    this.canEdit = canEdit;
    this.list = h('div', { class: 'att-list', 'aria-live': 'polite' }, h('p', { class: 'muted' }, '…'));
    this.el = h('section', { class: 'attachments', 'data-test': 'attachments' },
      h('h3', {}, t('att.title')), this.list, canEdit ? this.form() : null);
    this.load();
  }

  async load() {
    try {
      const { attachments } = await getJSON(base(this.owner));
      this.show(attachments);
    } catch {
      this.list.replaceChildren(h('p', { class: 'error' }, t('att.loadFailed')));
    }
  }

  show(all) {
    const photos = all.filter((a) => a.has_thumbnail);
    const docs = all.filter((a) => !a.has_thumbnail);
    this.list.replaceChildren(...[
      all.length ? null : h('p', { class: 'muted' }, t('att.none')),
      photos.length ? h('div', { class: 'att-strip', 'data-test': 'att-photos', 'aria-label': t('att.photos') }, photos.map((a) => this.thumb(a))) : null,
      docs.length ? h('ul', { class: 'att-docs', 'data-test': 'att-docs', 'aria-label': t('att.docs') }, docs.map((a) => this.doc(a))) : null,
    ].filter(Boolean)); // replaceChildren would write a null as "null"
  }

  thumb(a) {
    return h('figure', { class: 'att-thumb' },
      h('button', { type: 'button', class: 'att-open', title: a.filename, onclick: () => lightbox(a) },
        h('img', { src: `${fileURL(a)}/thumbnail`, alt: a.filename, loading: 'lazy' })),
      h('figcaption', {}, t(`att.cat.${a.category}`), this.remover(a)));
  }

  doc(a) {
    return h('li', {},
      h('a', { href: `${fileURL(a)}?download=1`, download: a.filename, class: 'att-name', 'data-test': 'att-download' }, a.filename),
      h('div', { class: 'muted att-meta' },
        [t(`att.cat.${a.category}`), size(a.size), a.uploader || '—', date(a.created_at)].join(' · '), this.remover(a)),
      a.note ? h('div', { class: 'att-note' }, a.note) : null);
  }

  remover(a) {
    if (!this.canEdit) return null;
    return h('button', { type: 'button', class: 'link att-del', title: t('att.delete'), 'aria-label': `${t('att.delete')} ${a.filename}`,
      onclick: () => this.remove(a) }, t('att.delete'));
  }

  async remove(a) {
    if (!window.confirm(t('att.confirmDelete', { name: a.filename }))) return;
    try {
      await sendJSON('DELETE', fileURL(a));
      toast(t('att.deleted'));
      this.load();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  form() {
    const bar = h('progress', { max: 100, value: 0, hidden: true, 'data-test': 'att-progress' });
    const msg = h('span', { class: 'muted att-msg', role: 'status' });
    const form = h('form', { class: 'att-form', 'data-test': 'att-form', onsubmit: (e) => { e.preventDefault(); this.upload(form, bar, msg); } },
      h('input', { type: 'file', name: 'file', 'aria-label': t('att.file'), accept: '.pdf,.jpg,.jpeg,.png,.heic,.heif,.doc,.docx,.xls,.xlsx' }),
      h('div', { class: 'att-row' },
        h('select', { name: 'category', 'aria-label': t('att.category') }, CATEGORIES.map((c) => h('option', { value: c }, t(`att.cat.${c}`)))),
        h('input', { type: 'text', name: 'note', maxlength: 2000, placeholder: t('att.note'), 'aria-label': t('att.note') }),
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('att.upload'))),
      h('div', { class: 'att-row muted' }, bar, msg),
      h('small', { class: 'muted' }, t('att.types')));
    return form;
  }

  /** upload posts the form with XMLHttpRequest, which (unlike fetch) reports the upload's progress. */
  upload(form, bar, msg) {
    const data = new FormData(form);
    if (!data.get('file')?.size) { msg.textContent = t('att.noFile'); return; }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', base(this.owner));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      msg.textContent = t('att.uploading', { p: bar.value });
    };
    xhr.onloadend = () => {
      bar.hidden = true;
      $('button[type=submit]', form).disabled = false;
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 201) {
        msg.textContent = '';
        form.reset();
        toast(t('att.uploaded'));
        this.load();
      } else {
        msg.textContent = body?.detail || body?.title || `HTTP ${xhr.status}`;
      }
    };
    bar.hidden = false;
    bar.value = 0;
    $('button[type=submit]', form).disabled = true;
    xhr.send(data);
  }
}

/** attachmentsBlock is the 附件 section for owner {kind: 'asset'|'project', id}; canEdit adds the upload. */
export function attachmentsBlock(owner, canEdit) {
  return new AttachmentsBlock(owner, canEdit).el;
}
