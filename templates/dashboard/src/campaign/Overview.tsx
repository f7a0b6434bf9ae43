/**
 * The overview, in the order staff ask: the summary band (countdown, where
 * the letters are, what needs attention), the letters that need a decision
 * (only when some do), the replies, the recipients, then
 * the plan and the chart, and the full funnel and splits last.
 */
import { Summary } from './Summary.js';
import { StuckLetters } from './StuckLetters.js';
import { Replies } from './Replies.js';
import { Recipients } from './Recipients.js';
import { PlanPanel } from './PlanPanel.js';
import { ChartPanel } from './ChartPanel.js';
import { Details } from './Details.js';

export function Overview(props: { params: Record<string, string> }) {
  return (
    <div class="overview">
      <Summary />
      <StuckLetters params={props.params} />
      <Replies params={props.params} />
      <Recipients params={props.params} />
      <PlanPanel />
      <ChartPanel />
      <Details />
    </div>
  );
}
