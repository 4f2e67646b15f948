// The phone layout's bottom sheets (see the 640 px media query in css/layout.css): a tap on a side
// tab opens the sheet, a tap on the open tab closes it; a tap on the map closes it too.
import { $, $$ } from './dom.js';

/** PHONE is the media query of the phone layout. */
export const PHONE = window.matchMedia('(max-width: 640px)');

/** wirePhone makes the side tabs work as a bottom sheet on phones. */
export function wirePhone(map) {
  const body = document.body;
  for (const tab of $$('[role="tab"]', $('#sidebar'))) {
    tab.addEventListener('pointerdown', () => {
      if (!PHONE.matches) return;
      const selected = tab.getAttribute('aria-selected') === 'true';
      body.classList.toggle('sheet-open', !(selected && body.classList.contains('sheet-open')));
    });
  }
  map.on('click', () => body.classList.remove('sheet-open'));
  // The legend starts folded to its title on a phone; a tap on it unfolds or folds it.
  const legend = $('#legend');
  if (PHONE.matches) legend.classList.add('folded');
  legend.addEventListener('click', () => { if (PHONE.matches) legend.classList.toggle('folded'); });
}
